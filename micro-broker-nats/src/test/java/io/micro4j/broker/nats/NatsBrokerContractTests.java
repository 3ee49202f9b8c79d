package io.micro4j.broker.nats;

import io.micro4j.broker.Broker;
import io.micro4j.test.broker.BrokerContractTests;
import io.micro4j.test.nats.NatsServer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** The broker contract for the NATS broker against a real nats-server. */
class NatsBrokerContractTests extends BrokerContractTests {

	@RegisterExtension
	static final NatsServer nats = new NatsServer();

	@Override
	protected Broker createBroker() {
		return NatsBroker.builder().servers(nats.url()).build();
	}

	@Test
	void whenTheBrokerIsNamedThenItIsNats() {
		assertThat(this.broker.name()).isEqualTo("nats");
		assertThat(this.broker.address()).isEqualTo(nats.url());
	}

	/** The whole contract again with the acceptance volume. */
	@Nested
	class WithTenThousandMessages extends BrokerContractTests {

		@Override
		protected Broker createBroker() {
			return NatsBroker.builder().servers(nats.url()).build();
		}

		@Override
		protected int messageCount() {
			return 10_000;
		}

	}

}
