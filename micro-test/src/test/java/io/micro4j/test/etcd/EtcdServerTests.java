package io.micro4j.test.etcd;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EtcdServerTests {

	@RegisterExtension
	final EtcdServer etcd = new EtcdServer();

	@Test
	void whenStartedThenEtcdctlReadsWhatItWrote() {
		this.etcd.etcdctl("put", "/test/key", "value");

		assertThat(this.etcd.etcdctl("get", "--print-value-only", "/test/key")).isEqualTo("value\n");
		assertThat(this.etcd.endpoint()).startsWith("http://127.0.0.1:");
		assertThat(this.etcd.isRunning()).isTrue();
	}

	@Test
	void whenKilledAndRestartedThenTheDataIsKeptButRestartEmptyLosesIt() {
		this.etcd.etcdctl("put", "/test/key", "kept");
		String address = this.etcd.address();

		this.etcd.kill();
		assertThat(this.etcd.isRunning()).isFalse();
		this.etcd.restart();
		assertThat(this.etcd.address()).isEqualTo(address);
		assertThat(this.etcd.etcdctl("get", "--print-value-only", "/test/key")).isEqualTo("kept\n");

		this.etcd.restartEmpty();
		assertThat(this.etcd.etcdctl("get", "--print-value-only", "/test/key")).isEmpty();
	}

	@Test
	void whenTheBinaryIsMissingThenTheErrorSaysHowToInstallIt() {
		assertThatThrownBy(() -> EtcdServer.binary("etcd-that-is-not-installed", EtcdServer.INSTALL_HINT))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("apt-get install etcd-server");
	}

	@Test
	void whenEtcdctlFailsThenTheErrorCarriesItsMessage() {
		assertThatThrownBy(() -> this.etcd.etcdctl("lease", "revoke", "abc123"))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("etcdctl lease revoke abc123 failed");
	}

}
