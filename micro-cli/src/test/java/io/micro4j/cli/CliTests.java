package io.micro4j.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.micro4j.broker.Event;
import io.micro4j.broker.SubscribeOptions;
import io.micro4j.broker.http.HttpBroker;
import io.micro4j.broker.nats.NatsBroker;
import io.micro4j.cli.Cli.Run;
import io.micro4j.grpc.GrpcTransportServer;
import io.micro4j.registry.Node;
import io.micro4j.registry.Service;
import io.micro4j.registry.etcd.EtcdRegistry;
import io.micro4j.server.DefaultServer;
import io.micro4j.test.etcd.EtcdServer;
import io.micro4j.test.nats.NatsServer;
import io.micro4j.test.support.ServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The CLI run in this process against a real etcd holding a Java micro4j greeter ({@code java-greeter}) and a
 * go-micro greeter ({@code greeter}: the golden record of go-micro-observed.md, pointing at {@link GoMicroPeer}).
 */
@Timeout(120)
class CliTests {

	@RegisterExtension
	static final EtcdServer etcd = new EtcdServer();

	@RegisterExtension
	static final NatsServer nats = new NatsServer();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static Greeters greeters;

	private static EtcdRegistry registry;

	private static GoMicroPeer goGreeter;

	@BeforeAll
	static void startServices() throws IOException {
		greeters = Greeters.start(etcd);
		registry = greeters.registry;
		goGreeter = greeters.goGreeter;
	}

	@AfterAll
	static void stopServices() {
		greeters.close();
	}

	@Test
	void servicesListsTheJavaAndTheGoMicroService() {
		Run run = cli("services");
		assertThat(run.code()).as(run.toString()).isZero();
		assertThat(run.lines()).first().asString().matches("NAME\\s+VERSION\\s+NODES\\s+PROTOCOL");
		assertThat(run.lines()).anySatisfy(line -> assertThat(line).matches("greeter\\s+latest\\s+1\\s+mucp"))
			.anySatisfy(line -> assertThat(line).matches("java-greeter\\s+latest\\s+1\\s+mucp"));
	}

	@Test
	void servicesAsJsonIsOneDocumentWithBothServices() {
		Run run = cli("services", "--output", "json");
		assertThat(run.code()).as(run.toString()).isZero();
		assertThat(run.lines()).hasSize(1);
		JsonNode services = JSON.readTree(run.out());
		assertThat(services.isArray()).isTrue();
		assertThat(services.valueStream().map(s -> s.path("name").asString()))
			.containsSubsequence("greeter", "java-greeter");
		assertThat(services.valueStream().filter(s -> s.path("name").asString().equals("greeter")).findFirst())
			.hasValueSatisfying(greeter -> {
				assertThat(greeter.path("version").asString()).isEqualTo("latest");
				assertThat(greeter.path("nodes").asInt()).isEqualTo(1);
				assertThat(greeter.path("protocols").get(0).asString()).isEqualTo("mucp");
			});
	}

	@Test
	void describeShowsNodesAndEndpointsOfTheGoMicroService() {
		Run run = cli("describe", "greeter");
		assertThat(run.code()).as(run.toString()).isZero();
		assertThat(run.out()).contains("service  greeter", "version  latest")
			.containsPattern(GoMicroPeer.NODE_ID + "\\s+" + goGreeter.address()
					+ "\\s+broker=http impl=go-micro protocol=mucp registry=etcd server=mucp transport=http")
			.contains("  Greeter.Hello\n    request  Request\n      name string\n    response Response\n"
					+ "      msg string\n")
			.contains("  Sub.Handle  subscriber=true topic=greeter.events\n    request  Event\n      id string\n"
					+ "      message string\n    response -\n");
	}

	@Test
	void describeAsJsonPrintsTheGoMicroRecord() {
		Run run = cli("describe", "greeter", "-o", "json");
		assertThat(run.code()).as(run.toString()).isZero();
		JsonNode records = JSON.readTree(run.out());
		assertThat(records).hasSize(1);
		assertThat(records.get(0)).isEqualTo(JSON.readTree(goGreeter.record()));
	}

	@Test
	void describeOfTheJavaServiceListsItsEndpoints() {
		Run run = cli("describe", "java-greeter", "--output=json");
		assertThat(run.code()).as(run.toString()).isZero();
		JsonNode record = JSON.readTree(run.out()).get(0);
		assertThat(record.path("endpoints").valueStream().map(e -> e.path("name").asString()))
			.containsExactlyInAnyOrder("Greeter.Hello", "Greeter.Tenant");
		assertThat(record.path("nodes").get(0).path("address").asString())
			.isEqualTo(greeters.javaAddress());
	}

	@Test
	void describeOfAnUnknownServiceFails() {
		Run run = cli("describe", "nobody");
		assertThat(run.code()).isEqualTo(MicroCli.FAILED);
		assertThat(run.err()).isEqualTo("micro: service nobody: not found\n");
		assertThat(run.out()).isEmpty();
	}

	@Test
	void callReachesTheJavaService() {
		Run run = cli("call", "java-greeter", "Greeter.Hello", "{\"name\":\"John\"}");
		assertThat(run.code()).as(run.toString()).isZero();
		assertThat(JSON.readTree(run.out())).isEqualTo(JSON.readTree("{\"msg\":\"Hello John\"}"));
		assertThat(run.err()).isEmpty();
	}

	@Test
	void callReachesAGrpcNodeOverGrpcWithJson() {
		DefaultServer grpcGreeter = DefaultServer.builder("grpc-greeter")
			.address("127.0.0.1:0")
			.registry(registry)
			.transport(GrpcTransportServer.builder().address("127.0.0.1:0").build())
			.build();
		grpcGreeter.handle(new Greeter());
		grpcGreeter.start();
		try {
			Run services = cli("services");
			assertThat(services.lines())
				.anySatisfy(line -> assertThat(line).matches("grpc-greeter\\s+latest\\s+1\\s+grpc"));

			Run run = cli("call", "grpc-greeter", "Greeter.Hello", "{\"name\":\"John\"}");
			assertThat(run.code()).as(run.toString()).isZero();
			assertThat(JSON.readTree(run.out())).isEqualTo(JSON.readTree("{\"msg\":\"Hello John\"}"));

			Run error = cli("call", "grpc-greeter", "Greeter.Hello", "{\"name\":\"error\"}");
			assertThat(error.code()).as(error.toString()).isEqualTo(MicroCli.FAILED);
			assertThat(JSON.readTree(error.err()).get("code").asInt()).isEqualTo(400);
		}
		finally {
			grpcGreeter.stop();
		}
	}

	@Test
	void callReachesTheGoMicroServiceAsAGoClientDoes() {
		int before = goGreeter.requests.size();
		Run run = cli("call", "greeter", "Greeter.Hello", "{\"name\":\"John\"}", "--output", "json", "-m",
				"X-Tenant=t1", "--timeout", "3s");
		assertThat(run.code()).as(run.toString()).isZero();
		assertThat(run.out()).isEqualTo("{\"msg\":\"Hello John\"}\n");
		Map<String, String> headers = goGreeter.requests.get(before);
		assertThat(headers).containsEntry("Micro-Service", "greeter")
			.containsEntry("Micro-Endpoint", "Greeter.Hello")
			.containsEntry("Content-Type", "application/json")
			.containsEntry("X-Tenant", "t1")
			.containsKey("Timeout");
		// go-micro's Timeout header is nanoseconds: at most the 3 s given
		assertThat(Long.parseLong(headers.get("Timeout"))).isPositive().isLessThanOrEqualTo(3_000_000_000L);
	}

	@Test
	void callSendsMetadataToTheJavaService() {
		Run run = cli("call", "java-greeter", "Greeter.Tenant", "{}", "--metadata", "X-Tenant=acme");
		assertThat(run.code()).as(run.toString()).isZero();
		assertThat(JSON.readTree(run.out()).path("msg").asString()).isEqualTo("acme");
	}

	@Test
	void aServiceErrorGoesToStandardErrorAsGoMicroErrorJson() {
		for (String service : List.of("java-greeter", "greeter")) {
			Run run = cli("call", service, "Greeter.Hello", "{\"name\":\"error\"}");
			assertThat(run.code()).as(run.toString()).isEqualTo(MicroCli.FAILED);
			assertThat(run.out()).isEmpty();
			assertThat(run.err()).endsWith("\n").hasLineCount(1);
			JsonNode error = JSON.readTree(run.err());
			assertThat(error.path("id").asString()).isEqualTo("greeter.hello");
			assertThat(error.path("code").asInt()).isEqualTo(400);
			assertThat(error.path("detail").asString()).isEqualTo("bad name \"error\"");
			assertThat(error.path("status").asString()).isEqualTo("Bad Request");
		}
	}

	@Test
	void anUnknownMethodOfTheGoMicroServiceIsItsPlainTextError() {
		Run run = cli("call", "greeter", "Greeter.Nope");
		assertThat(run.code()).as(run.toString()).isEqualTo(MicroCli.FAILED);
		assertThat(JSON.readTree(run.err()).path("detail").asString()).isEqualTo("rpc: can't find method Nope");
	}

	@Test
	void callingAnUnknownServiceFails() {
		Run run = cli("call", "nobody", "Greeter.Hello", "{}");
		assertThat(run.code()).as(run.toString()).isEqualTo(MicroCli.FAILED);
		JsonNode error = JSON.readTree(run.err());
		assertThat(error.path("code").asInt()).isEqualTo(500);
		assertThat(error.path("detail").asString()).contains("nobody").contains("not found");
	}

	@Test
	void callWithAnAddressSkipsDiscovery() {
		Run run = cli("call", "anything", "Greeter.Hello", "{\"name\":\"Ann\"}", "--address", goGreeter.address());
		assertThat(run.code()).as(run.toString()).isZero();
		assertThat(JSON.readTree(run.out()).path("msg").asString()).isEqualTo("Hello Ann");
	}

	@Test
	void usageErrorsExitWithTwoAndOneLine() {
		Run notJson = cli("call", "greeter", "Greeter.Hello", "{name:");
		assertThat(notJson.code()).isEqualTo(MicroCli.USAGE);
		assertThat(notJson.err()).startsWith("micro: request is not JSON: ").hasLineCount(1);

		Run unknownOption = cli("services", "--bogus");
		assertThat(unknownOption.code()).isEqualTo(MicroCli.USAGE);
		assertThat(unknownOption.err()).startsWith("micro: Unknown option: '--bogus'")
			.contains("Try 'micro services --help'");

		Run unknownRegistry = Cli.run(Map.of(), "--registry", "mdns", "services");
		assertThat(unknownRegistry.code()).isEqualTo(MicroCli.USAGE);
		assertThat(unknownRegistry.err()).isEqualTo("micro: unknown registry 'mdns' (expected one of etcd, consul)\n");

		Run badTimeout = cli("services", "--timeout", "soon");
		assertThat(badTimeout.code()).isEqualTo(MicroCli.USAGE);
		assertThat(badTimeout.err()).contains("'soon' is not a duration");

		Run missing = cli("call", "greeter");
		assertThat(missing.code()).isEqualTo(MicroCli.USAGE);
		assertThat(missing.err()).contains("Missing required parameter");
	}

	@Test
	void anUnreachableRegistryIsOneLineAndExitCodeThree() throws IOException {
		String closed = "127.0.0.1:" + ServerProcess.freePort();
		for (String[] args : List.of(new String[] { "services" }, new String[] { "describe", "greeter" },
				new String[] { "call", "greeter", "Greeter.Hello", "{}" }, new String[] { "health", "greeter" },
				new String[] { "watch" }, new String[] { "publish", "greeter.events", "{}" })) {
			Run run = Cli.run(Map.of(), concat(new String[] { "--registry_address", closed, "--timeout", "2s" }, args));
			assertThat(run.code()).as(String.join(" ", args) + ": " + run).isEqualTo(MicroCli.REGISTRY_UNREACHABLE);
			assertThat(run.err()).as(run.toString())
				.startsWith("micro: registry etcd at " + closed + " is unreachable: ")
				.hasLineCount(1);
			assertThat(run.out()).isEmpty();
		}
	}

	@Test
	void theEnvironmentNamesTheRegistryAndOptionsWin() throws IOException {
		Run fromEnvironment = Cli.run(Map.of("MICRO_REGISTRY", "etcd", "MICRO_REGISTRY_ADDRESS", etcd.address()),
				"services", "-o", "json");
		assertThat(fromEnvironment.code()).as(fromEnvironment.toString()).isZero();
		assertThat(fromEnvironment.out()).contains("\"java-greeter\"");

		String closed = "127.0.0.1:" + ServerProcess.freePort();
		Run optionWins = Cli.run(Map.of("MICRO_REGISTRY_ADDRESS", closed), "--registry_address", etcd.address(),
				"services");
		assertThat(optionWins.code()).as(optionWins.toString()).isZero();

		Run environmentUsed = Cli.run(Map.of("MICRO_REGISTRY_ADDRESS", closed), "services", "--timeout", "2s");
		assertThat(environmentUsed.code()).isEqualTo(MicroCli.REGISTRY_UNREACHABLE);
		assertThat(environmentUsed.err()).contains(closed);

		Run unknownBroker = Cli.run(Map.of("MICRO_BROKER", "kafka"), "--registry_address", etcd.address(),
				"publish", "t", "{}");
		assertThat(unknownBroker.code()).isEqualTo(MicroCli.USAGE);
		assertThat(unknownBroker.err()).isEqualTo("micro: unknown broker 'kafka' (expected one of http, nats, rabbitmq)\n");
	}

	@Test
	void publishThroughTheHttpBrokerReachesTheSubscriberBeforeExiting() {
		List<Event> received = new CopyOnWriteArrayList<>();
		try (HttpBroker subscriber = HttpBroker.builder(registry).address("127.0.0.1:0").build()) {
			subscriber.subscribe("cli.events", received::add, SubscribeOptions.defaults());
			Run run = cli("publish", "cli.events", "{\"id\":\"1\",\"message\":\"hi\"}", "-m", "X-Source=cli");
			assertThat(run.code()).as(run.toString()).isZero();
			assertThat(run.out()).isEqualTo("published to cli.events via http (1 subscriber)\n");
			// delivered when the command returned: the broker flushed before closing
			assertThat(received).hasSize(1);
		}
		Event event = received.get(0);
		assertThat(event.topic()).isEqualTo("cli.events");
		assertThat(JSON.readTree(event.message().body()))
			.isEqualTo(JSON.readTree("{\"id\":\"1\",\"message\":\"hi\"}"));
		assertThat(event.message().headers().get("Micro-Topic")).hasValue("cli.events");
		assertThat(event.message().headers().get("X-Source")).hasValue("cli");
		assertThat(event.message().headers().get("Micro-Id")).isPresent();
	}

	@Test
	void publishToASubscriberThatIsGoneFailsAfterTheTimeout() throws IOException {
		Service gone = Service.of(HttpBroker.SERVICE, HttpBroker.BROADCAST_VERSION,
				List.of(new Node("gone.events-1", "127.0.0.1:" + ServerProcess.freePort(),
						Map.of("broker", "http", "secure", "false", "topic", "gone.events"))));
		registry.register(gone, Duration.ofMinutes(1));
		try {
			Run run = cli("publish", "gone.events", "{}", "--timeout", "1s", "--output", "json");
			assertThat(run.code()).as(run.toString()).isEqualTo(MicroCli.FAILED);
			assertThat(run.err()).isEqualTo("micro: event to gone.events not delivered to every subscriber within 1000 ms\n");
		}
		finally {
			registry.deregister(gone);
		}
	}

	@Test
	void publishThroughNats() throws Exception {
		List<Event> received = new CopyOnWriteArrayList<>();
		try (NatsBroker subscriber = NatsBroker.builder().servers(nats.url()).build()) {
			subscriber.subscribe("nats.events", received::add, SubscribeOptions.defaults());
			Run run = cli("--broker", "nats", "--broker_address", nats.url(), "publish", "nats.events",
					"{\"n\":1}", "-o", "json");
			assertThat(run.code()).as(run.toString()).isZero();
			assertThat(JSON.readTree(run.out()))
				.isEqualTo(JSON.readTree("{\"topic\":\"nats.events\",\"broker\":\"nats\"}"));
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(received).hasSize(1));
		}
		assertThat(new String(received.get(0).message().body(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}\n");
	}

	@Test
	void publishToAnUnreachableNatsExitsWithFour() throws IOException {
		Run run = cli("--broker", "nats", "--broker_address", "nats://127.0.0.1:" + ServerProcess.freePort(), "--timeout", "2s",
				"publish", "x", "{}");
		assertThat(run.code()).as(run.toString()).isEqualTo(MicroCli.BROKER_UNREACHABLE);
		assertThat(run.err()).startsWith("micro: broker nats at nats://127.0.0.1:").hasLineCount(1);
	}

	@Test
	void watchPrintsEachEventAsAJsonLineUntilInterrupted() throws Exception {
		AtomicReference<Run> result = new AtomicReference<>();
		WatchThread watch = new WatchThread(etcd.address(), "watched", "--output", "json");
		watch.start();
		Service watched = Service.of("watched", "1.0", List.of(new Node("watched-1", "127.0.0.1:1", Map.of())));
		AtomicInteger updates = new AtomicInteger();
		// the watch starts some time after the thread: write until it has seen something
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
			registry.register(watched.withNodes(List.of(watched.nodes().get(0)
				.withMetadata("n", String.valueOf(updates.incrementAndGet())))), Duration.ofMinutes(1));
			return !watch.lines().isEmpty();
		});
		registry.deregister(watched);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> watch.lines().stream().anyMatch(line -> line.contains("\"action\":\"delete\"")));
		watch.interrupt();
		watch.join(10_000);
		result.set(watch.run);
		Run run = result.get();
		assertThat(run).isNotNull();
		assertThat(run.code()).isEqualTo(130);
		List<String> lines = run.lines();
		for (String line : lines) {
			JsonNode event = JSON.readTree(line);
			assertThat(event.path("action").asString()).isIn("create", "update", "delete");
			assertThat(event.path("service").path("name").asString()).isEqualTo("watched");
			assertThat(event.path("service").path("nodes").get(0).path("id").asString()).isEqualTo("watched-1");
		}
		assertThat(JSON.readTree(lines.get(lines.size() - 1)).path("action").asString()).isEqualTo("delete");
	}

	@Test
	void watchStopsAfterCountEventsAndPrintsText() {
		CompletableFuture<Run> watch = CompletableFuture
			.supplyAsync(() -> Cli.etcd(etcd.address(), "watch", "counted", "--count", "1"));
		Service counted = Service.of("counted", "latest", List.of(Node.of("counted-1", "127.0.0.1:2")));
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
			registry.register(counted, Duration.ofMinutes(1));
			registry.deregister(counted);
			return watch.isDone();
		});
		Run run = watch.join();
		assertThat(run.code()).as(run.toString()).isZero();
		assertThat(run.lines()).hasSize(1);
		assertThat(run.lines().get(0)).matches("(create|update|delete)  counted  latest  counted-1  127\\.0\\.0\\.1:2");
	}

	@Test
	void healthOfTheGoMicroServiceAsksDebugHealth() {
		Run run = cli("health", "greeter", "-o", "json");
		assertThat(run.code()).as(run.toString()).isZero();
		JsonNode report = JSON.readTree(run.out());
		assertThat(report.path("healthy").asBoolean()).isTrue();
		JsonNode node = report.path("nodes").get(0);
		assertThat(node.path("id").asString()).isEqualTo(GoMicroPeer.NODE_ID);
		assertThat(node.path("check").asString()).isEqualTo("Debug.Health");
		assertThat(node.path("detail").asString()).isEqualTo("status ok");
		assertThat(goGreeter.requests).anySatisfy(
				headers -> assertThat(headers).containsEntry("Micro-Endpoint", "Debug.Health"));
	}

	@Test
	void healthOfTheJavaServiceSeesItAnswerMucp() {
		Run run = cli("health", "java-greeter");
		assertThat(run.code()).as(run.toString()).isZero();
		assertThat(run.lines()).hasSize(2);
		assertThat(run.lines().get(1)).matches("java-greeter-\\S+\\s+127\\.0\\.0\\.1:\\d+\\s+latest\\s+mucp\\s+"
				+ "ok: answers, no Debug.Health");
	}

	@Test
	void healthFailsWhenANodeIsDown() throws IOException {
		Service ghost = Service.of("ghost", "latest", List.of(Node.of("ghost-1", "127.0.0.1:" + ServerProcess.freePort()),
				new Node("ghost-2", goGreeter.address(), Map.of("protocol", "grpc"))));
		registry.register(ghost, Duration.ofMinutes(1));
		try {
			Run run = cli("health", "ghost", "--timeout", "2s", "-o", "json");
			assertThat(run.code()).as(run.toString()).isEqualTo(MicroCli.FAILED);
			JsonNode report = JSON.readTree(run.out());
			assertThat(report.path("healthy").asBoolean()).isFalse();
			assertThat(report.path("nodes").get(0).path("id").asString()).isEqualTo("ghost-1");
			assertThat(report.path("nodes").get(0).path("healthy").asBoolean()).isFalse();
			assertThat(report.path("nodes").get(1).path("check").asString()).isEqualTo("tcp");
			assertThat(report.path("nodes").get(1).path("healthy").asBoolean()).isTrue();
		}
		finally {
			registry.deregister(ghost);
		}
	}

	@Test
	void healthOfAnUnknownServiceFails() {
		Run run = cli("health", "nobody");
		assertThat(run.code()).isEqualTo(MicroCli.FAILED);
		assertThat(run.err()).isEqualTo("micro: service nobody: not found\n");
	}

	@Test
	void helpAndVersionExitWithZero() {
		Run help = Cli.run(Map.of(), "--help");
		assertThat(help.code()).isZero();
		assertThat(help.out()).contains("services", "describe", "call", "publish", "watch", "health",
				"--registry_address", "Exit codes:");
		Run version = Cli.run(Map.of(), "--version");
		assertThat(version.code()).isZero();
		assertThat(version.out()).startsWith("micro4j-cli ");
	}

	private static Run cli(String... args) {
		return Cli.etcd(etcd.address(), args);
	}

	private static String[] concat(String[] first, String[] second) {
		String[] all = new String[first.length + second.length];
		System.arraycopy(first, 0, all, 0, first.length);
		System.arraycopy(second, 0, all, first.length, second.length);
		return all;
	}

	/** A watch running in its own thread, its output readable while it runs. */
	private static final class WatchThread extends Thread {

		private final String[] args;

		private final java.io.StringWriter out = new java.io.StringWriter();

		private volatile Run run;

		WatchThread(String registryAddress, String... args) {
			super("cli-watch");
			this.args = concat(new String[] { "--registry_address", registryAddress, "watch" }, args);
		}

		@Override
		public void run() {
			java.io.StringWriter err = new java.io.StringWriter();
			picocli.CommandLine commandLine = MicroCli.commandLine(new MicroCli(Map.of()));
			commandLine.setOut(new java.io.PrintWriter(this.out, true));
			commandLine.setErr(new java.io.PrintWriter(err, true));
			int code = commandLine.execute(this.args);
			this.run = new Run(code, this.out.toString(), err.toString());
		}

		List<String> lines() {
			synchronized (this.out.getBuffer()) {
				return this.out.toString().lines().toList();
			}
		}

	}

}
