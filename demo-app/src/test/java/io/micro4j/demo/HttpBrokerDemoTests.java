package io.micro4j.demo;

import io.micro4j.broker.Broker;
import io.micro4j.broker.http.HttpBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo with {@code --micro.broker.type=http}: the event travels as a POST through the http broker. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "micro.server.address=127.0.0.1:0", "micro.broker.type=http",
				"micro.broker.http.address=127.0.0.1:0" })
@ExtendWith(OutputCaptureExtension.class)
class HttpBrokerDemoTests {

	@Value("${local.server.port}")
	private int port;

	@Autowired
	private Broker broker;

	@Test
	void whenHelloIsCalledThenTheSubscriberLogsTheEventThroughTheHttpBroker(CapturedOutput output) throws Exception {
		assertThat(this.broker).isInstanceOf(HttpBroker.class);

		BrokerEventsAssertions.helloReachesTheSubscriber(this.port, "Http", output);

		assertThat(((HttpBroker) this.broker).subscriberNodes("greeter.events")).hasSize(1);
	}

}
