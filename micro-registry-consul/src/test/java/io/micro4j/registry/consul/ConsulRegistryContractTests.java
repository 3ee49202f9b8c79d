package io.micro4j.registry.consul;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.micro4j.registry.Endpoint;
import io.micro4j.registry.Node;
import io.micro4j.registry.Registry;
import io.micro4j.registry.RegistryCodec;
import io.micro4j.registry.Service;
import io.micro4j.test.consul.ConsulServer;
import io.micro4j.test.registry.RegistryContractTests;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

/**
 * The shared registry contract against a real Consul agent; go-micro's records are registered through the agent's
 * HTTP API as go-micro registers them (tags, Meta, TTL check, pass), without going through {@link ConsulRegistry}.
 */
class ConsulRegistryContractTests extends RegistryContractTests {

	@RegisterExtension
	static final ConsulServer consul = new ConsulServer();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Override
	protected Registry createRegistry() {
		return ConsulRegistry.builder(consul.address()).timeout(Duration.ofSeconds(2)).build();
	}

	@Override
	protected Duration expiringTtl() {
		return Duration.ofSeconds(1);
	}

	@Override
	protected void storeGoMicroRecord(Registry registry, String json) {
		Service service = RegistryCodec.decode(json);
		Node node = service.nodes().get(0);
		List<String> tags = new ArrayList<>();
		new TreeMap<>(node.metadata())
			.forEach((key, value) -> tags.add("t-" + ConsulTags.hexZlib(JSON.writeValueAsString(Map.of(key, value)))));
		for (Endpoint endpoint : service.endpoints()) {
			tags.add("e-" + ConsulTags.hexZlib(RegistryCodec.encodeEndpoint(endpoint)));
		}
		tags.add("v-" + ConsulTags.hexZlib(service.version()));
		int colon = node.address().lastIndexOf(':');
		Map<String, Object> body = Map.of("ID", node.id(), "Name", service.name(), "Tags", tags, "Address",
				node.address().substring(0, colon), "Port", Integer.parseInt(node.address().substring(colon + 1)),
				"Meta", node.metadata(), "Check", Map.of("TTL", "1m0s", "DeregisterCriticalServiceAfter", "1m5s"));
		consul.call("PUT", "/v1/agent/service/register", JSON.writeValueAsString(body));
		consul.call("PUT", "/v1/agent/check/pass/service:" + node.id(), null);
	}

}
