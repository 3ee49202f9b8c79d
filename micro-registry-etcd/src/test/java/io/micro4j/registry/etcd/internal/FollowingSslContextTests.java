package io.micro4j.registry.etcd.internal;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.micro4j.transport.TlsOptions;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The context of jetcd's channel follows its options supplier: rebuilt for new options only, kept when unusable. */
class FollowingSslContextTests {

	@Test
	void whenTheSupplierReturnsNewOptionsThenTheNextConnectionGetsANewContext() {
		AtomicReference<TlsOptions> options = new AtomicReference<>(TlsOptions.builder().build());
		FollowingSslContext following = new FollowingSslContext(options::get);
		SslContext first = following.current();

		assertThat(following.current()).isSameAs(first);
		options.set(TlsOptions.builder().protocols(List.of("TLSv1.3")).build());
		SslContext second = following.current();

		assertThat(second).isNotSameAs(first);
		assertThat(following.newEngine(ByteBufAllocator.DEFAULT, "127.0.0.1", 2379).getEnabledProtocols())
			.containsExactly("TLSv1.3");
		assertThat(following.applicationProtocolNegotiator().protocols()).contains("h2");
	}

	@Test
	void whenReloadedOptionsCannotBeUsedThenThePreviousContextStays() {
		AtomicReference<TlsOptions> options = new AtomicReference<>(TlsOptions.builder().build());
		FollowingSslContext following = new FollowingSslContext(options::get);
		SslContext first = following.current();

		options.set(TlsOptions.builder().verifyHostname(false).build());

		assertThat(following.current()).isSameAs(first);
	}

	@Test
	void whenTheFirstOptionsTurnHostnameVerificationOffThenTheyAreRefused() {
		TlsOptions options = TlsOptions.builder().verifyHostname(false).build();

		assertThatThrownBy(() -> new FollowingSslContext(() -> options)).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("hostname verification cannot be turned off");
	}

}
