package io.micro4j.cli;

import java.util.Map;

import io.micro4j.MicroService;
import io.micro4j.cli.Cli.Run;
import io.micro4j.registry.consul.ConsulRegistry;
import io.micro4j.test.consul.ConsulServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --registry consul}: the CLI finds and calls a Java service registered in a real Consul agent. */
@Timeout(120)
class CliConsulTests {

	@RegisterExtension
	static final ConsulServer consul = new ConsulServer();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void servicesDescribeAndCallGoThroughConsul() {
		try (ConsulRegistry registry = ConsulRegistry.builder(consul.address()).build();
				MicroService greeter = MicroService.builder("consul-greeter")
					.registry(registry)
					.address("127.0.0.1:0")
					.handler(new Greeter())
					.build()
					.start()) {
			Run services = consul("services", "-o", "json");
			assertThat(services.code()).as(services.toString()).isZero();
			assertThat(JSON.readTree(services.out()).valueStream().map(s -> s.path("name").asString()))
				.contains("consul-greeter");

			Run describe = consul("describe", "consul-greeter");
			assertThat(describe.code()).as(describe.toString()).isZero();
			assertThat(describe.out()).contains("registry=consul", "Greeter.Hello");

			Run call = Cli.run(Map.of("MICRO_REGISTRY", "consul", "MICRO_REGISTRY_ADDRESS", consul.address()), "call",
					"consul-greeter", "Greeter.Hello", "{\"name\":\"Consul\"}", "-o", "json");
			assertThat(call.code()).as(call.toString()).isZero();
			assertThat(call.out()).isEqualTo("{\"msg\":\"Hello Consul\"}\n");
		}
	}

	@Test
	void anUnreachableConsulIsExitCodeThree() throws Exception {
		String closed = "127.0.0.1:" + io.micro4j.test.support.ServerProcess.freePort();
		Run run = Cli.run(Map.of(), "--registry", "consul", "--registry_address", closed, "--timeout", "2s",
				"services");
		assertThat(run.code()).as(run.toString()).isEqualTo(MicroCli.REGISTRY_UNREACHABLE);
		assertThat(run.err()).startsWith("micro: registry consul at " + closed + " is unreachable: ").hasLineCount(1);
	}

	private static Run consul(String... args) {
		String[] all = new String[args.length + 4];
		all[0] = "--registry";
		all[1] = "consul";
		all[2] = "--registry_address";
		all[3] = consul.address();
		System.arraycopy(args, 0, all, 4, args.length);
		return Cli.run(Map.of(), all);
	}

}
