package io.micro4j.spring.dashboard;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.micro4j.broker.http.HttpBroker;
import io.micro4j.registry.Endpoint;
import io.micro4j.registry.Node;
import io.micro4j.registry.Service;
import io.micro4j.registry.Value;
import org.jspecify.annotations.Nullable;

/**
 * What the dashboard shows of the registry, as JSON-ready records: the services with their versions and node counts,
 * the topics with their subscribers, and one service in detail (nodes with metadata, endpoints with their value
 * trees and a JSON skeleton of each request).
 * <p>
 * Subscribers are found as go-micro registers them: endpoints with metadata {@code subscriber=true} and
 * {@code topic=<topic>}, and the nodes of the HTTP broker's own service ({@value HttpBroker#SERVICE}), each with
 * metadata {@code topic=<topic>}.
 */
public final class RegistryView {

	private RegistryView() {
	}

	/** The overview of {@code services} (every version of every service, as the registry lists them). */
	public static Overview overview(String registry, List<Service> services) {
		Map<String, List<Service>> byName = new TreeMap<>();
		for (Service service : services) {
			byName.computeIfAbsent(service.name(), (name) -> new ArrayList<>()).add(service);
		}
		List<ServiceSummary> summaries = new ArrayList<>();
		byName.forEach((name, versions) -> summaries.add(new ServiceSummary(name,
				versions.stream().map(Service::version).distinct().sorted().toList(),
				versions.stream().mapToInt((version) -> version.nodes().size()).sum(),
				(int) versions.stream()
					.flatMap((version) -> version.endpoints().stream())
					.filter((endpoint) -> !endpoint.isSubscriber())
					.map(Endpoint::name)
					.distinct()
					.count())));
		return new Overview(registry, List.copyOf(summaries), topics(services));
	}

	private static List<Topic> topics(List<Service> services) {
		Map<String, List<Subscriber>> topics = new TreeMap<>();
		for (Service service : services) {
			for (Endpoint endpoint : service.endpoints()) {
				String topic = endpoint.metadata().get("topic");
				if (endpoint.isSubscriber() && topic != null) {
					topics.computeIfAbsent(topic, (t) -> new ArrayList<>())
						.add(new Subscriber(service.name(), service.version(), endpoint.name(), service.nodes().size()));
				}
			}
			if (HttpBroker.SERVICE.equals(service.name())) {
				Map<String, Integer> nodesByTopic = new TreeMap<>();
				for (Node node : service.nodes()) {
					String topic = node.metadata().get("topic");
					if (topic != null) {
						nodesByTopic.merge(topic, 1, Integer::sum);
					}
				}
				nodesByTopic.forEach((topic, nodes) -> topics.computeIfAbsent(topic, (t) -> new ArrayList<>())
					.add(new Subscriber(service.name(), service.version(), "", nodes)));
			}
		}
		List<Topic> result = new ArrayList<>();
		topics.forEach((topic, subscribers) -> result.add(new Topic(topic, subscribers.stream()
			.sorted(Comparator.comparing(Subscriber::service).thenComparing(Subscriber::endpoint))
			.toList())));
		return List.copyOf(result);
	}

	/**
	 * The versions of one service in detail, sorted by version; empty when {@code versions} is.
	 */
	public static List<VersionDetail> detail(List<Service> versions) {
		return versions.stream()
			.sorted(Comparator.comparing(Service::version))
			.map((service) -> new VersionDetail(service.version(), service.metadata(),
					service.nodes().stream().sorted(Comparator.comparing(Node::id)).map(RegistryView::node).toList(),
					service.endpoints()
						.stream()
						.sorted(Comparator.comparing(Endpoint::name))
						.map(RegistryView::endpoint)
						.toList()))
			.toList();
	}

	private static NodeDetail node(Node node) {
		Map<String, String> metadata = new TreeMap<>(node.metadata());
		return new NodeDetail(node.id(), node.address(), metadata.getOrDefault("protocol", "mucp"),
				"true".equalsIgnoreCase(metadata.get("secure")), metadata.getOrDefault("broker", ""), metadata);
	}

	private static EndpointDetail endpoint(Endpoint endpoint) {
		return new EndpointDetail(endpoint.name(), endpoint.request(), endpoint.response(),
				new TreeMap<>(endpoint.metadata()), endpoint.isSubscriber(), endpoint.metadata().getOrDefault("topic", ""),
				(endpoint.request() != null) ? ValueSkeleton.of(endpoint.request()) : Map.of());
	}

	/**
	 * The registry at a glance.
	 * @param registry the registry's name ({@code memory}, {@code etcd}, {@code consul})
	 * @param services one entry per service name, sorted by name
	 * @param topics the topics that have subscribers, sorted by topic
	 */
	public record Overview(String registry, List<ServiceSummary> services, List<Topic> topics) {

	}

	/**
	 * A service by name.
	 * @param name the service name
	 * @param versions its versions, sorted
	 * @param nodes how many nodes its versions have together
	 * @param endpoints how many distinct endpoints it advertises, subscribers left out
	 */
	public record ServiceSummary(String name, List<String> versions, int nodes, int endpoints) {

	}

	/**
	 * A topic and who subscribes to it.
	 * @param topic the topic
	 * @param subscribers its subscribers, sorted by service and endpoint
	 */
	public record Topic(String topic, List<Subscriber> subscribers) {

	}

	/**
	 * A subscription found in the registry.
	 * @param service the subscribing service
	 * @param version its version (the queue, for the HTTP broker's own records)
	 * @param endpoint the subscriber endpoint; empty for the HTTP broker's own records
	 * @param nodes how many nodes subscribe
	 */
	public record Subscriber(String service, String version, String endpoint, int nodes) {

	}

	/**
	 * A service in detail.
	 * @param name the service name
	 * @param versions its versions, sorted
	 */
	public record ServiceDetail(String name, List<VersionDetail> versions) {

	}

	/**
	 * One version of a service.
	 * @param version the version
	 * @param metadata the service metadata
	 * @param nodes its nodes, sorted by id
	 * @param endpoints its endpoints, sorted by name
	 */
	public record VersionDetail(String version, Map<String, String> metadata, List<NodeDetail> nodes,
			List<EndpointDetail> endpoints) {

	}

	/**
	 * A node.
	 * @param id the node id
	 * @param address {@code host:port}
	 * @param protocol its wire ({@code protocol} metadata; {@code mucp} when absent)
	 * @param secure whether it serves TLS ({@code secure=true} metadata)
	 * @param broker its broker ({@code broker} metadata; empty when absent)
	 * @param metadata all its metadata, sorted by key
	 */
	public record NodeDetail(String id, String address, String protocol, boolean secure, String broker,
			Map<String, String> metadata) {

	}

	/**
	 * An endpoint.
	 * @param name {@code <Handler>.<Method>}
	 * @param request its request value tree, or {@code null} when unknown
	 * @param response its response value tree, or {@code null} (subscribers)
	 * @param metadata its metadata, sorted by key
	 * @param subscriber whether it is a broker subscriber
	 * @param topic the topic it subscribes to; empty for other endpoints
	 * @param skeleton a request body of the request's shape ({@link ValueSkeleton}); empty when the shape is unknown
	 */
	public record EndpointDetail(String name, @Nullable Value request, @Nullable Value response,
			Map<String, String> metadata, boolean subscriber, String topic, Map<String, @Nullable Object> skeleton) {

	}

}
