package io.micro4j.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.micro4j.registry.Endpoint;
import io.micro4j.registry.Node;
import io.micro4j.registry.Registry;
import io.micro4j.registry.Service;
import io.micro4j.registry.Value;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import tools.jackson.databind.node.ArrayNode;

/**
 * {@code micro describe <service>}: each version with its nodes (address, metadata) and endpoints (request and
 * response value trees, metadata). JSON: the registry records as go-micro writes them, one per version.
 */
@Command(name = "describe", aliases = "get", description = "Shows a service: versions, nodes with address and "
		+ "metadata, endpoints with their request and response types.")
final class DescribeCommand extends CliCommand {

	@Parameters(index = "0", paramLabel = "<service>", description = "The service name.")
	private String service = "";

	@Override
	public Integer call() {
		List<Service> versions;
		try (Registry registry = cli().plugins().newRegistry()) {
			versions = new ArrayList<>(registry.getService(this.service));
		}
		if (versions.isEmpty()) {
			throw CliException.failed("service " + this.service + ": not found");
		}
		versions.sort(Comparator.comparing(Service::version));
		if (json()) {
			ArrayNode array = Json.array();
			versions.forEach(version -> array.add(Json.record(version)));
			print(array);
			return MicroCli.OK;
		}
		println("service  " + this.service);
		for (Service version : versions) {
			println("");
			println("version  " + version.version());
			if (!version.metadata().isEmpty()) {
				println("metadata " + pairs(version.metadata()));
			}
			println("nodes");
			List<String[]> rows = new ArrayList<>();
			for (Node node : version.nodes()) {
				rows.add(new String[] { "  " + node.id(), node.address(), pairs(node.metadata()) });
			}
			Table.print(rows, this::println);
			println("endpoints");
			for (Endpoint endpoint : version.endpoints()) {
				println("  " + endpoint.name() + (endpoint.metadata().isEmpty() ? ""
						: "  " + pairs(endpoint.metadata())));
				printValue("    request  ", endpoint.request());
				printValue("    response ", endpoint.response());
			}
		}
		return MicroCli.OK;
	}

	private void printValue(String label, @Nullable Value value) {
		if (value == null) {
			println(label + "-");
			return;
		}
		println(label + value.type());
		printFields(value.values(), "      ", 0);
	}

	/** Fields as {@code name type}, nested fields indented; depth-limited against cyclic types. */
	private void printFields(List<Value> fields, String indent, int depth) {
		if (depth > 8) {
			return;
		}
		for (Value field : fields) {
			println(indent + field.name() + " " + field.type());
			printFields(field.values(), indent + "  ", depth + 1);
		}
	}

	private static String pairs(Map<String, String> metadata) {
		return new TreeMap<>(metadata).entrySet()
			.stream()
			.map(entry -> entry.getKey() + "=" + entry.getValue())
			.collect(Collectors.joining(" "));
	}

}
