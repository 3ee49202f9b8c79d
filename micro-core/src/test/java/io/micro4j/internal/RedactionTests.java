package io.micro4j.internal;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedactionTests {

	@Test
	void whenAnAddressHasUserInfoThenItIsMaskedAndTheRestKept() {
		assertThat(Redaction.uri("amqp://guest:s3cret@10.0.0.1:5672/vhost?heartbeat=5"))
			.isEqualTo("amqp://***@10.0.0.1:5672/vhost?heartbeat=5");
		assertThat(Redaction.uri("nats://t0ken@127.0.0.1:4222")).isEqualTo("nats://***@127.0.0.1:4222");
		assertThat(Redaction.uri("user:p@ss@host:5672")).isEqualTo("***@host:5672");
	}

	@Test
	void whenAnAddressHasNoUserInfoThenItIsReturnedAsItIs() {
		String address = "amqps://10.0.0.1:5671/path@not-user-info";
		assertThat(Redaction.uri(address)).isSameAs(address);
		assertThat(Redaction.uri("10.0.0.1:4222")).isEqualTo("10.0.0.1:4222");
	}

	@Test
	void whenTextRepeatsAnAddressOrItsPasswordThenBothAreMasked() {
		List<String> addresses = List.of("nats://micro:s3cret-pass@127.0.0.1:4222", "nats://127.0.0.1:4223",
				"nats://ab@127.0.0.1:4224");
		assertThat(Redaction.text("Unable to connect to [nats://micro:s3cret-pass@127.0.0.1:4222]: bad s3cret-pass",
				addresses))
			.isEqualTo("Unable to connect to [nats://***@127.0.0.1:4222]: bad ***");
		// a two-character token is masked where it is user info, not everywhere (it would mask unrelated text)
		assertThat(Redaction.text("nats://ab@127.0.0.1:4224 about", addresses))
			.isEqualTo("nats://***@127.0.0.1:4224 about");
	}

}
