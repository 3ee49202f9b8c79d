package io.micro4j.demo;

import io.micro4j.broker.Broker;
import io.micro4j.broker.nats.NatsBroker;
import io.micro4j.test.nats.NatsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo with {@code --micro.broker.type=nats} against a real nats-server. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "micro.server.address=127.0.0.1:0", "micro.broker.type=nats" })
@ExtendWith(OutputCaptureExtension.class)
class NatsBrokerDemoTests {

	@RegisterExtension
	static final NatsServer nats = new NatsServer();

	@DynamicPropertySource
	static void natsAddress(DynamicPropertyRegistry registry) {
		registry.add("micro.broker.address", nats::url);
	}

	@Value("${local.server.port}")
	private int port;

	@Autowired
	private Broker broker;

	@Test
	void whenHelloIsCalledThenTheSubscriberLogsTheEventThroughNats(CapturedOutput output) throws Exception {
		assertThat(this.broker).isInstanceOf(NatsBroker.class);
		assertThat(this.broker.address()).isEqualTo(nats.url());

		BrokerEventsAssertions.helloReachesTheSubscriber(this.port, "Nats", output);
	}

}
