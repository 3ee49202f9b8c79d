package io.micro4j.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations micro4j makes. Names and tags come from the default conventions below; replace them by passing
 * your own convention to the client, server or broker support.
 */
public enum MicroObservation implements ObservationDocumentation {

	/** A client call, whole (retries included). Name {@code micro.client.calls}. */
	CLIENT_CALL {
		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultClientCallConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return CallKeys.values();
		}
	},

	/** A call handled by the server. Name {@code micro.server.calls}. */
	SERVER_CALL {
		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultServerCallConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return CallKeys.values();
		}
	},

	/** A message published. Name {@code micro.broker.publish}. */
	PUBLISH {
		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultPublishConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return MessageKeys.values();
		}
	},

	/** A message received by a subscriber. Name {@code micro.broker.receive}. */
	RECEIVE {
		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultReceiveConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return MessageKeys.values();
		}
	};

	/** Tags of client and server calls. */
	public enum CallKeys implements KeyName {

		/** The service name. */
		SERVICE {
			@Override
			public String asString() {
				return "micro.service";
			}
		},
		/** The endpoint, e.g. {@code Greeter.Hello}. */
		ENDPOINT {
			@Override
			public String asString() {
				return "micro.endpoint";
			}
		},
		/** {@code 0} on success, otherwise the micro error code. */
		CODE {
			@Override
			public String asString() {
				return "micro.code";
			}
		},
		/** {@code SUCCESS} or {@code ERROR}. */
		OUTCOME {
			@Override
			public String asString() {
				return "outcome";
			}
		}

	}

	/** Tags of publish and receive. */
	public enum MessageKeys implements KeyName {

		/** The topic. */
		TOPIC {
			@Override
			public String asString() {
				return "micro.topic";
			}
		},
		/** The broker name ({@code memory}, {@code http}, ...). */
		BROKER {
			@Override
			public String asString() {
				return "micro.broker";
			}
		},
		/** The queue group of a receiving subscriber, {@code none} for broadcast. */
		QUEUE {
			@Override
			public String asString() {
				return "micro.queue";
			}
		}

	}

}
