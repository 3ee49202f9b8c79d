package io.micro4j.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

import io.micro4j.registry.Node;
import io.micro4j.registry.Registry;
import io.micro4j.registry.Service;
import picocli.CommandLine.Command;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code micro services}: every registered service version with its node count and the protocols its nodes speak.
 * JSON: {@code [{"name":"greeter","version":"latest","nodes":2,"protocols":["mucp"]}, ...]}.
 */
@Command(name = "services", aliases = "list", description = "Lists the registered services: name, version, "
		+ "node count, protocols.")
final class ServicesCommand extends CliCommand {

	@Override
	public Integer call() {
		List<Service> services;
		try (Registry registry = cli().plugins().newRegistry()) {
			services = new ArrayList<>(registry.listServices());
		}
		services.sort(Comparator.comparing(Service::name).thenComparing(Service::version));
		if (json()) {
			ArrayNode array = Json.array();
			for (Service service : services) {
				ObjectNode entry = array.addObject()
					.put("name", service.name())
					.put("version", service.version())
					.put("nodes", service.nodes().size());
				ArrayNode protocols = entry.putArray("protocols");
				protocols(service).forEach(protocols::add);
			}
			print(array);
			return MicroCli.OK;
		}
		List<String[]> rows = new ArrayList<>();
		rows.add(new String[] { "NAME", "VERSION", "NODES", "PROTOCOL" });
		for (Service service : services) {
			rows.add(new String[] { service.name(), service.version(), String.valueOf(service.nodes().size()),
					String.join(",", protocols(service)) });
		}
		Table.print(rows, this::println);
		return MicroCli.OK;
	}

	/** The {@code protocol} metadata of the nodes, sorted; {@code mucp} for nodes that do not say. */
	private static TreeSet<String> protocols(Service service) {
		TreeSet<String> protocols = new TreeSet<>();
		for (Node node : service.nodes()) {
			protocols.add(node.metadata().getOrDefault("protocol", "mucp"));
		}
		return protocols;
	}

}
