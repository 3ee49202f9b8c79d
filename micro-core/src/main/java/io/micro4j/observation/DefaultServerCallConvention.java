package io.micro4j.observation;

import io.micrometer.common.KeyValues;

/**
 * Default server convention: name {@code micro.server.calls}, contextual name {@code <service>.<Endpoint>}, tags
 * service, endpoint, code, outcome.
 */
public class DefaultServerCallConvention implements ServerCallConvention {

	@Override
	public String getName() {
		return "micro.server.calls";
	}

	@Override
	public String getContextualName(ServerCallContext context) {
		return context.service() + "." + context.endpoint();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(ServerCallContext context) {
		int code = context.errorCode();
		return KeyValues.of(MicroObservation.CallKeys.SERVICE.withValue(context.service()),
				MicroObservation.CallKeys.ENDPOINT.withValue(context.endpoint()),
				MicroObservation.CallKeys.CODE.withValue(Integer.toString(code)),
				MicroObservation.CallKeys.OUTCOME.withValue(DefaultClientCallConvention.outcome(context.getError(), code)));
	}

}
