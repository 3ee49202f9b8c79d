package io.micro4j.grpc;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.grpc.Attributes;
import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.Status;
import io.grpc.StatusOr;
import io.grpc.SynchronizationContext;
import io.micro4j.internal.LogSafe;
import io.micro4j.registry.Node;
import io.micro4j.registry.Registry;
import io.micro4j.registry.Service;
import io.micro4j.transport.http.internal.HostPort;
import org.jspecify.annotations.Nullable;

/**
 * Resolves {@code micro:///<service>} to the addresses of the service's gRPC nodes in the registry, and resolves
 * again when the registry's watch reports a change of the service (and every {@link #PERIODIC_MILLIS} ms, in case
 * a change was missed). Lookups run off the channel's synchronization context: the first one may have to ask the
 * registry itself.
 * <p>
 * Each address carries its {@link Node} ({@link #NODE}); the result carries the service and the discovery for the
 * {@link MicroLoadBalancer}, and a service config that selects it (policy {@code micro}). A registry that answers
 * with no gRPC node gives an empty address list (the policy drops its connections); a registry that cannot be asked
 * (and has no cached answer) gives an error, and the policy keeps the connections it has.
 */
final class MicroNameResolver extends NameResolver {

	/** The registry node an address belongs to. */
	static final Attributes.Key<Node> NODE = Attributes.Key.create("micro4j.node");

	/** What the load balancer needs from the resolver: the service and the discovery. */
	static final Attributes.Key<Binding> BINDING = Attributes.Key.create("micro4j.binding");

	static final long PERIODIC_MILLIS = 30_000;

	/** Delays of the lookups after a watch event: the registry cache may apply the event a moment after us. */
	private static final long[] AFTER_EVENT_MILLIS = { 20, 250 };

	private static final Map<String, ?> SERVICE_CONFIG = Map.of("loadBalancingConfig",
			List.of(Map.of(MicroLoadBalancerProvider.POLICY, Map.of())));

	private final String service;

	private final MicroDiscovery discovery;

	private final SynchronizationContext sync;

	private final Executor executor;

	private final ScheduledExecutorService timer;

	private final ConfigOrError serviceConfig;

	private @Nullable Listener2 listener;

	private Registry.@Nullable Watch watch;

	private SynchronizationContext.@Nullable ScheduledHandle periodic;

	private boolean resolving;

	private boolean resolveAgain;

	private boolean shutdown;

	private @Nullable List<EquivalentAddressGroup> delivered;

	MicroNameResolver(String service, MicroDiscovery discovery, Args args, Executor executor) {
		this.service = service;
		this.discovery = discovery;
		this.sync = args.getSynchronizationContext();
		this.executor = executor;
		this.timer = args.getScheduledExecutorService();
		this.serviceConfig = args.getServiceConfigParser().parseServiceConfig(SERVICE_CONFIG);
	}

	@Override
	public String getServiceAuthority() {
		return this.service;
	}

	@Override
	public void start(Listener2 listener) {
		this.listener = Objects.requireNonNull(listener, "listener");
		try {
			this.watch = this.discovery.registry().watch(this.service, (event) -> this.sync.execute(this::afterEvent));
		}
		catch (RuntimeException ex) {
			// the registry is out of reach: the periodic lookups stand in for the watch
			this.watch = null;
		}
		this.periodic = this.sync.scheduleWithFixedDelay(this::resolve, PERIODIC_MILLIS, PERIODIC_MILLIS,
				TimeUnit.MILLISECONDS, this.timer);
		resolve();
	}

	@Override
	public void refresh() {
		resolve();
	}

	@Override
	public void shutdown() {
		if (this.shutdown) {
			return;
		}
		this.shutdown = true;
		if (this.periodic != null) {
			this.periodic.cancel();
		}
		Registry.Watch current = this.watch;
		if (current != null) {
			current.close();
		}
	}

	private void afterEvent() {
		for (long delay : AFTER_EVENT_MILLIS) {
			this.sync.schedule(this::resolve, delay, TimeUnit.MILLISECONDS, this.timer);
		}
	}

	/** Starts a lookup, or asks for one more when a lookup is under way; runs in the synchronization context. */
	private void resolve() {
		if (this.shutdown) {
			return;
		}
		if (this.resolving) {
			this.resolveAgain = true;
			return;
		}
		this.resolving = true;
		this.executor.execute(() -> {
			StatusOr<List<EquivalentAddressGroup>> result = lookUp();
			this.sync.execute(() -> {
				this.resolving = false;
				deliver(result);
				if (this.resolveAgain) {
					this.resolveAgain = false;
					resolve();
				}
			});
		});
	}

	private StatusOr<List<EquivalentAddressGroup>> lookUp() {
		List<Service> versions;
		try {
			versions = this.discovery.registry().getService(this.service);
		}
		catch (RuntimeException ex) {
			return StatusOr.fromStatus(Status.UNAVAILABLE
				.withDescription("looking up " + this.service + " in the " + this.discovery.registry().name()
						+ " registry failed: " + LogSafe.text(ex.getMessage()))
				.withCause(ex));
		}
		List<EquivalentAddressGroup> addresses = new ArrayList<>();
		for (Service version : versions) {
			for (Node node : version.nodes()) {
				if (!this.discovery.protocol().equals(node.metadata().get("protocol"))) {
					continue;
				}
				InetSocketAddress address = socketAddress(node);
				if (address != null) {
					addresses.add(new EquivalentAddressGroup(address, Attributes.newBuilder().set(NODE, node).build()));
				}
			}
		}
		// empty when the registry says there is no such node: the load balancer then drops its connections (a
		// registry it cannot reach throws instead, and the connections it has are kept)
		return StatusOr.fromValue(List.copyOf(addresses));
	}

	private static @Nullable InetSocketAddress socketAddress(Node node) {
		try {
			HostPort hostPort = HostPort.parse(node.address());
			return new InetSocketAddress(hostPort.host(), hostPort.port());
		}
		catch (RuntimeException ex) {
			// a garbage record: not an address a channel can dial
			return null;
		}
	}

	private void deliver(StatusOr<List<EquivalentAddressGroup>> result) {
		Listener2 current = this.listener;
		if (this.shutdown || current == null) {
			return;
		}
		if (!result.hasValue()) {
			this.delivered = null;
			current.onError(result.getStatus());
			return;
		}
		List<EquivalentAddressGroup> addresses = result.getValue();
		if (addresses.equals(this.delivered)) {
			return;
		}
		this.delivered = addresses;
		current.onResult2(ResolutionResult.newBuilder()
			.setAddressesOrError(StatusOr.fromValue(addresses))
			.setAttributes(Attributes.newBuilder().set(BINDING, new Binding(this.service, this.discovery)).build())
			.setServiceConfig(this.serviceConfig)
			.build());
	}

	/** The service a channel resolves, and its discovery. */
	record Binding(String service, MicroDiscovery discovery) {
	}

}
