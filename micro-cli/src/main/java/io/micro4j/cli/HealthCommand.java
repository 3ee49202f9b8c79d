package io.micro4j.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.micro4j.MicroService;
import io.micro4j.client.CallOptions;
import io.micro4j.client.Request;
import io.micro4j.errors.FailureClassifier;
import io.micro4j.errors.MicroException;
import io.micro4j.registry.Node;
import io.micro4j.registry.Registry;
import io.micro4j.registry.Service;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code micro health <service>}: checks every node of the service, all at once, each within {@code --timeout}.
 * A mucp node is asked go-micro's {@code Debug.Health} over mucp: {@code {"status":"ok"}} is healthy, and so is
 * a node that answers that it has no such endpoint (a micro4j node, a go-micro v5 node without the debug handler):
 * it took and answered the call. Other nodes (gRPC, TLS) get a TCP connect. Exit code {@value MicroCli#FAILED} when
 * any node is unhealthy.
 */
@Command(name = "health", description = "Checks each node of a service (mucp: Debug.Health; others: TCP); exit "
		+ "code 1 when any node is unhealthy.")
final class HealthCommand extends CliCommand {

	/** The endpoint go-micro's debug handler serves. */
	static final String DEBUG_HEALTH = "Debug.Health";

	@Parameters(index = "0", paramLabel = "<service>", description = "The service name.")
	private String service = "";

	@Override
	public Integer call() {
		List<Result> results = new ArrayList<>();
		try (Registry registry = cli().plugins().newRegistry();
				MicroService client = MicroService.builder("micro-cli").registry(registry).build()) {
			List<Service> versions = registry.getService(this.service);
			if (versions.isEmpty()) {
				throw CliException.failed("service " + this.service + ": not found");
			}
			List<CompletableFuture<Result>> checks = new ArrayList<>();
			for (Service version : versions) {
				for (Node node : version.nodes()) {
					checks.add(CompletableFuture.supplyAsync(() -> check(client, version.version(), node),
							client.runtime().handlerExecutor()));
				}
			}
			checks.forEach(check -> results.add(check.join()));
		}
		results.sort(Comparator.comparing(Result::version).thenComparing(result -> result.node().id()));
		boolean healthy = results.stream().allMatch(Result::healthy);
		if (json()) {
			ObjectNode report = Json.object().put("service", this.service).put("healthy", healthy);
			ArrayNode nodes = report.putArray("nodes");
			for (Result result : results) {
				nodes.addObject()
					.put("id", result.node().id())
					.put("address", result.node().address())
					.put("version", result.version())
					.put("check", result.check())
					.put("healthy", result.healthy())
					.put("detail", result.detail());
			}
			print(report);
		}
		else {
			List<String[]> rows = new ArrayList<>();
			rows.add(new String[] { "NODE", "ADDRESS", "VERSION", "CHECK", "STATUS" });
			for (Result result : results) {
				rows.add(new String[] { result.node().id(), result.node().address(), result.version(), result.check(),
						(result.healthy() ? "ok" : "unhealthy") + ": " + result.detail() });
			}
			Table.print(rows, this::println);
		}
		return healthy ? MicroCli.OK : MicroCli.FAILED;
	}

	private Result check(MicroService client, String version, Node node) {
		Map<String, String> metadata = node.metadata();
		boolean mucp = metadata.getOrDefault("protocol", "mucp").equals("mucp")
				&& !"true".equals(metadata.get("secure"));
		return mucp ? debugHealth(client, version, node) : tcp(version, node);
	}

	private Result debugHealth(MicroService client, String version, Node node) {
		Duration timeout = cli().timeout();
		CallOptions options = CallOptions.builder()
			.addresses(List.of(node.address()))
			.retries(0)
			.requestTimeout(timeout)
			.connectionTimeout(timeout)
			.build();
		try {
			JsonNode answer = client.client()
				.call(Request.of(this.service, DEBUG_HEALTH, Json.object()), JsonNode.class, options);
			String status = (answer != null) ? answer.path("status").asString("") : "";
			return new Result(version, node, DEBUG_HEALTH, "ok".equals(status), "status " + status);
		}
		catch (RuntimeException ex) {
			Throwable failure = FailureClassifier.unwrap(ex);
			if (failure instanceof MicroException micro && answeredWithoutDebugHandler(micro)) {
				return new Result(version, node, "mucp", true, "answers, no " + DEBUG_HEALTH);
			}
			return new Result(version, node, DEBUG_HEALTH, false,
					(failure instanceof MicroException micro) ? micro.toJson() : failure.toString());
		}
	}

	/** A go-micro or micro4j server's answer for an endpoint it does not serve. */
	private static boolean answeredWithoutDebugHandler(MicroException error) {
		return error.code() == 404 || error.detail().contains("can't find");
	}

	private Result tcp(String version, Node node) {
		String address = node.address();
		int colon = address.lastIndexOf(':');
		try (Socket socket = new Socket()) {
			String host = address.substring(0, Math.max(colon, 0));
			int port = Integer.parseInt(address.substring(colon + 1));
			socket.connect(new InetSocketAddress(host.isEmpty() ? "127.0.0.1" : host, port),
					(int) Math.min(Integer.MAX_VALUE, cli().timeout().toMillis()));
			return new Result(version, node, "tcp", true, "connected");
		}
		catch (IOException | RuntimeException ex) {
			return new Result(version, node, "tcp", false, ex.toString());
		}
	}

	/** One node's check. */
	record Result(String version, Node node, String check, boolean healthy, String detail) {
	}

}
