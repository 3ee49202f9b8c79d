package io.micro4j.client;

import java.util.concurrent.CompletableFuture;

import io.micro4j.errors.MicroException;
import io.micro4j.observation.ClientCallContext;
import io.micro4j.observation.ClientCallConvention;
import io.micro4j.observation.DefaultClientCallConvention;
import io.micro4j.observation.MicroObservation;
import io.micrometer.observation.Observation;
import io.micro4j.transport.TransportStream;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * The observation stage: one CLIENT observation per call (all attempts), whose trace context is injected into the
 * outgoing metadata. The parent is the observation current when the call started ({@link Client#callAsync} carries
 * it to the thread the call starts on).
 */
final class ObservationStage implements CallWrapper {

	private final ObservationRegistry registry;

	private final @Nullable ClientCallConvention convention;

	ObservationStage(ObservationRegistry registry, @Nullable ClientCallConvention convention) {
		this.registry = registry;
		this.convention = convention;
	}

	@Override
	public CallFunction wrap(CallFunction next) {
		if (this.registry.isNoop()) {
			return next;
		}
		return context -> {
			ClientCallContext observed = new ClientCallContext(context.request(), context.metadataMap());
			Observation observation = MicroObservation.CLIENT_CALL.observation(this.convention,
					new DefaultClientCallConvention(), () -> observed, this.registry);
			observation.start();
			context.observation(observation);
			CompletableFuture<Response> future = next.callSafely(context);
			return future.whenComplete((response, error) -> {
				TransportStream stream = (error == null) ? context.openedStream() : null;
				if (stream != null) {
					// a stream's observation covers its whole life
					stream.onEnd((end) -> stop(observation, observed, null, end));
				}
				else {
					stop(observation, observed, response, error);
				}
			});
		};
	}

	private static void stop(Observation observation, ClientCallContext observed, @Nullable Response response,
			@Nullable Throwable error) {
		if (error != null) {
			MicroException micro = DefaultClient.toMicro(error);
			observed.setErrorCode(micro.code());
			observation.error(micro);
		}
		else if (response != null) {
			observed.setResponse(response);
		}
		observation.stop();
	}

}
