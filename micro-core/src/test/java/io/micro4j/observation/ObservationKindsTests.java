package io.micro4j.observation;

import java.util.LinkedHashMap;
import java.util.Map;

import io.micro4j.client.Request;
import io.micro4j.metadata.Metadata;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.transport.Kind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ObservationKindsTests {

	@Test
	void whenContextsAreCreatedThenTheirKindsAreClientServerProducerConsumer() {
		Map<String, String> headers = new LinkedHashMap<>();
		assertThat(new ClientCallContext(Request.of("greeter", "Greeter.Hello", "x"), headers).getKind())
			.isEqualTo(Kind.CLIENT);
		assertThat(new ServerCallContext("greeter", "Greeter.Hello", Metadata.empty()).getKind()).isEqualTo(Kind.SERVER);
		assertThat(new PublishContext("events", "memory", headers).getKind()).isEqualTo(Kind.PRODUCER);
		assertThat(new ReceiveContext("events", "", "memory", Metadata.empty()).getKind()).isEqualTo(Kind.CONSUMER);
	}

	@Test
	void whenTracingInjectsLowerCaseKeysThenTheyTravelInGoMicrosTitleCase() {
		Map<String, String> headers = new LinkedHashMap<>();
		ClientCallContext context = new ClientCallContext(Request.of("greeter", "Greeter.Hello", "x"), headers);
		context.getSetter().set(context.getCarrier(), "traceparent", "00-abc-def-01");
		assertThat(Metadata.of(headers).keys()).containsExactly("Traceparent");
		ServerCallContext server = new ServerCallContext("greeter", "Greeter.Hello", Metadata.of(headers));
		assertThat(server.getGetter().get(server.getCarrier(), "traceparent")).isEqualTo("00-abc-def-01");
	}

	@Test
	void whenConventionsNameObservationsThenNamesAndTagsAreDocumented() {
		ServerCallContext server = new ServerCallContext("greeter", "Greeter.Hello", Metadata.empty());
		server.setErrorCode(400);
		DefaultServerCallConvention convention = new DefaultServerCallConvention();
		assertThat(convention.getName()).isEqualTo("micro.server.calls");
		assertThat(convention.getContextualName(server)).isEqualTo("greeter.Greeter.Hello");
		assertThat(convention.getLowCardinalityKeyValues(server)).extracting(KeyValue::getKey, KeyValue::getValue)
			.contains(org.assertj.core.groups.Tuple.tuple("micro.code", "400"),
					org.assertj.core.groups.Tuple.tuple("outcome", "ERROR"));
		PublishContext publish = new PublishContext("greeter.events", "memory", new LinkedHashMap<>());
		assertThat(new DefaultPublishConvention().getLowCardinalityKeyValues(publish))
			.extracting(KeyValue::getKey, KeyValue::getValue)
			.contains(org.assertj.core.groups.Tuple.tuple("micro.topic", "greeter.events"));
	}

}
