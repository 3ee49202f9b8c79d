package io.micro4j.registry.etcd;

import java.time.Duration;

import io.micro4j.registry.Registry;
import io.micro4j.registry.RegistryCodec;
import io.micro4j.registry.Service;
import io.micro4j.test.etcd.EtcdServer;
import io.micro4j.test.registry.RegistryContractTests;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared registry contract against a real etcd; go-micro's records are written with etcdctl, byte for byte.
 */
class EtcdRegistryContractTests extends RegistryContractTests {

	@RegisterExtension
	static final EtcdServer etcd = new EtcdServer();

	@Override
	protected Registry createRegistry() {
		return EtcdRegistry.builder(etcd.address()).timeout(Duration.ofSeconds(2)).build();
	}

	@Override
	protected Duration expiringTtl() {
		return Duration.ofSeconds(1);
	}

	@Override
	protected void storeGoMicroRecord(Registry registry, String json) {
		Service service = RegistryCodec.decode(json);
		String key = EtcdRegistry.DEFAULT_PREFIX + service.name() + "/" + service.nodes().get(0).id();
		etcd.etcdctl("put", key, json);
	}

}
