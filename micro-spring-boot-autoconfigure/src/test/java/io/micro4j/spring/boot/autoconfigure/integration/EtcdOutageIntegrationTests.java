package io.micro4j.spring.boot.autoconfigure.integration;

import java.time.Duration;

import io.micro4j.test.etcd.EtcdServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Acceptance test of honest operations with etcd: etcd is killed (SIGKILL) for 30 seconds under load and started
 * again on the same port and data. No call fails, each service logs exactly one WARN when etcd becomes unreachable
 * and one INFO when it is back (and no other WARN), liveness stays UP and the registry health shows the outage as
 * degraded ({@link RegistryOutageScenario}).
 */
class EtcdOutageIntegrationTests {

	@RegisterExtension
	static final EtcdServer etcd = new EtcdServer();

	private final RegistryOutageScenario scenario = new RegistryOutageScenario();

	@AfterEach
	void close() {
		this.scenario.close();
	}

	@Test
	void whenEtcdIsDownForThirtySecondsUnderLoadThenNoCallFailsEachServiceLogsOneWarnAndOneInfoAndLivenessStaysUp()
			throws Exception {
		this.scenario.run(
				new String[] { "micro.registry.type=etcd", "micro.registry.address=" + etcd.address(),
						"micro.registry.etcd.timeout=2s" },
				etcd::kill, etcd::restart, Duration.ofSeconds(30), "etcd registry at http://" + etcd.address());
	}

}
