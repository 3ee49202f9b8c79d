package io.micro4j.spring.boot.autoconfigure.grpc;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.TlsChannelCredentials;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code micro:///} channels, named by target or by a channel whose target is {@code micro:///}, get micro4j's
 * per-node credentials; every other channel keeps what Boot's provider gives, and one credentials instance serves
 * all micro channels.
 */
class MicroChannelCredentialsProviderTests {

	private final ChannelCredentials boots = TlsChannelCredentials.create();

	private final MockEnvironment environment = new MockEnvironment()
		.withProperty("spring.grpc.client.channel.greeter.target", "micro:///greeter")
		.withProperty("spring.grpc.client.channel.billing.target", "static://10.0.0.1:9090");

	private final MicroChannelCredentialsProvider provider = new MicroChannelCredentialsProvider((path) -> this.boots,
			this.environment, new DefaultListableBeanFactory().getBeanProvider(SslBundles.class));

	@Test
	void channelsOnMicroTargetsGetPerNodeCredentialsAndOthersBoots() {
		ChannelCredentials byName = this.provider.getChannelCredentials("greeter");
		ChannelCredentials byTarget = this.provider.getChannelCredentials("micro:///orders");

		assertThat(byName).isNotSameAs(this.boots).isNotInstanceOf(InsecureChannelCredentials.class)
			.isNotInstanceOf(TlsChannelCredentials.class);
		assertThat(byTarget).isSameAs(byName);
		assertThat(this.provider.getChannelCredentials("billing")).isSameAs(this.boots);
		assertThat(this.provider.getChannelCredentials("localhost:9090")).isSameAs(this.boots);
	}

	@Test
	void bootsSslSettingsOnAMicroChannelDoNotTurnItIntoATlsChannel() {
		this.environment.setProperty("spring.grpc.client.channel.greeter.ssl.bundle", "client");

		assertThat(this.provider.getChannelCredentials("greeter")).isNotSameAs(this.boots)
			.isNotInstanceOf(TlsChannelCredentials.class);
	}

}
