package io.micro4j.observation;

import io.micrometer.common.KeyValues;

/**
 * Default client convention: name {@code micro.client.calls}, contextual name {@code <service>.<Endpoint>} (as
 * go-micro's OTel wrapper names spans, e.g. {@code greeter.Greeter.Hello}), tags service, endpoint, code, outcome.
 */
public class DefaultClientCallConvention implements ClientCallConvention {

	@Override
	public String getName() {
		return "micro.client.calls";
	}

	@Override
	public String getContextualName(ClientCallContext context) {
		return context.request().service() + "." + context.request().endpoint();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(ClientCallContext context) {
		int code = context.errorCode();
		return KeyValues.of(MicroObservation.CallKeys.SERVICE.withValue(context.request().service()),
				MicroObservation.CallKeys.ENDPOINT.withValue(context.request().endpoint()),
				MicroObservation.CallKeys.CODE.withValue(Integer.toString(code)),
				MicroObservation.CallKeys.OUTCOME.withValue(outcome(context.getError(), code)));
	}

	static String outcome(Throwable error, int code) {
		return (error == null && code == 0) ? "SUCCESS" : "ERROR";
	}

}
