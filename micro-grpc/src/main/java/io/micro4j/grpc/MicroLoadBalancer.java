package io.micro4j.grpc;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.ClientStreamTracer;
import io.grpc.ConnectivityState;
import io.grpc.ConnectivityStateInfo;
import io.grpc.EquivalentAddressGroup;
import io.grpc.LoadBalancer;
import io.grpc.Metadata;
import io.grpc.Status;
import io.micro4j.errors.MicroException;
import io.micro4j.registry.Node;
import io.micro4j.registry.Service;
import io.micro4j.selector.NodesBusyException;
import io.micro4j.selector.SelectOptions;
import io.micro4j.selector.Selector;
import io.micro4j.selector.ServiceFilter;
import org.jspecify.annotations.Nullable;

/**
 * Keeps a connection (subchannel) to every node the {@link MicroNameResolver} reports, and picks the node of each
 * call with the discovery's selector among the nodes whose connection is ready: the selector's strategy, filters,
 * outlier ejection and in-flight bound apply to gRPC calls as to mucp calls. How each call ended (its status) is
 * reported back to the selector, so a node that keeps failing or timing out is ejected for a while.
 * <p>
 * When the selector has nothing to offer although connections are ready (the registry lost the service but the
 * nodes still answer: the name resolver keeps its last addresses while the registry is out of reach), calls go round
 * robin over the ready connections. A node whose connection fails is left out until it reconnects.
 */
final class MicroLoadBalancer extends LoadBalancer {

	private final Helper helper;

	private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();

	private MicroNameResolver.@Nullable Binding binding;

	private @Nullable ConnectivityState published;

	MicroLoadBalancer(Helper helper) {
		this.helper = helper;
	}

	@Override
	public Status acceptResolvedAddresses(ResolvedAddresses resolved) {
		MicroNameResolver.Binding current = resolved.getAttributes().get(MicroNameResolver.BINDING);
		if (current == null) {
			Status status = Status.UNAVAILABLE
				.withDescription("load-balancing policy micro works only with micro:///<service> targets");
			handleNameResolutionError(status);
			return status;
		}
		this.binding = current;
		Set<String> seen = new HashSet<>();
		for (EquivalentAddressGroup group : resolved.getAddresses()) {
			Node node = group.getAttributes().get(MicroNameResolver.NODE);
			if (node == null || !seen.add(node.address())) {
				continue;
			}
			Endpoint endpoint = this.endpoints.get(node.address());
			if (endpoint == null) {
				connect(node, group);
			}
			else if (!endpoint.group.equals(group)) {
				endpoint.group = group;
				endpoint.subchannel.updateAddresses(List.of(group));
			}
		}
		for (Iterator<Endpoint> it = this.endpoints.values().iterator(); it.hasNext();) {
			Endpoint endpoint = it.next();
			if (!seen.contains(endpoint.address)) {
				it.remove();
				endpoint.subchannel.shutdown();
			}
		}
		if (this.endpoints.isEmpty()) {
			Status none = Status.UNAVAILABLE.withDescription("no node of service " + current.service()
					+ " with protocol=" + current.discovery().protocol() + " in the " + current.discovery().registry().name()
					+ " registry");
			update(ConnectivityState.TRANSIENT_FAILURE, new FixedPicker(PickResult.withError(none)));
			return Status.OK;
		}
		publish();
		return Status.OK;
	}

	/** An empty list is the registry's answer "no node": connections are dropped and calls fail at once. */
	@Override
	public boolean canHandleEmptyAddressListFromNameResolution() {
		return true;
	}

	private void connect(Node node, EquivalentAddressGroup group) {
		Subchannel subchannel = this.helper
			.createSubchannel(CreateSubchannelArgs.newBuilder().setAddresses(group).build());
		Endpoint endpoint = new Endpoint(node.address(), group, subchannel);
		this.endpoints.put(endpoint.address, endpoint);
		subchannel.start((info) -> onStateChange(endpoint, info));
		subchannel.requestConnection();
	}

	private void onStateChange(Endpoint endpoint, ConnectivityStateInfo info) {
		if (this.endpoints.get(endpoint.address) != endpoint) {
			return;
		}
		endpoint.state = info.getState();
		if (info.getState() == ConnectivityState.TRANSIENT_FAILURE) {
			endpoint.failure = info.getStatus();
			this.helper.refreshNameResolution();
		}
		else if (info.getState() == ConnectivityState.IDLE) {
			endpoint.subchannel.requestConnection();
		}
		publish();
	}

	private void publish() {
		MicroNameResolver.Binding current = this.binding;
		Map<String, Subchannel> ready = new LinkedHashMap<>();
		boolean connecting = false;
		Status failure = null;
		for (Endpoint endpoint : this.endpoints.values()) {
			switch (endpoint.state) {
				case READY -> ready.put(endpoint.address, endpoint.subchannel);
				case CONNECTING, IDLE -> connecting = true;
				default -> failure = (endpoint.failure != null) ? endpoint.failure : failure;
			}
		}
		if (current != null && !ready.isEmpty()) {
			update(ConnectivityState.READY, new ReadyPicker(current, ready));
		}
		else if (connecting) {
			update(ConnectivityState.CONNECTING, new FixedPicker(PickResult.withNoResult()));
		}
		else {
			String service = (current != null) ? current.service() : "the service";
			String cause = (failure != null) ? ": " + failure.getCode() + " " + failure.getDescription() : "";
			update(ConnectivityState.TRANSIENT_FAILURE, new FixedPicker(PickResult.withError(Status.UNAVAILABLE
				.withDescription("no node of " + service + " is reachable" + cause)
				.withCause((failure != null) ? failure.getCause() : null))));
		}
	}

	private void update(ConnectivityState state, SubchannelPicker picker) {
		this.published = state;
		this.helper.updateBalancingState(state, picker);
	}

	@Override
	public void handleNameResolutionError(Status error) {
		if (this.published == ConnectivityState.READY) {
			// keep calling the nodes we know while the registry cannot tell us about them
			return;
		}
		update(ConnectivityState.TRANSIENT_FAILURE, new FixedPicker(PickResult.withError(error)));
	}

	@Override
	public void requestConnection() {
		for (Endpoint endpoint : this.endpoints.values()) {
			if (endpoint.state == ConnectivityState.IDLE) {
				endpoint.subchannel.requestConnection();
			}
		}
	}

	@Override
	public void shutdown() {
		for (Endpoint endpoint : this.endpoints.values()) {
			endpoint.subchannel.shutdown();
		}
		this.endpoints.clear();
	}

	/** The connection to one node. */
	private static final class Endpoint {

		final String address;

		final Subchannel subchannel;

		EquivalentAddressGroup group;

		ConnectivityState state = ConnectivityState.IDLE;

		@Nullable Status failure;

		Endpoint(String address, EquivalentAddressGroup group, Subchannel subchannel) {
			this.address = address;
			this.group = group;
			this.subchannel = subchannel;
		}

	}

	/** Always the same result: no connection yet, or none possible. */
	private static final class FixedPicker extends SubchannelPicker {

		private final PickResult result;

		FixedPicker(PickResult result) {
			this.result = result;
		}

		@Override
		public PickResult pickSubchannel(PickSubchannelArgs args) {
			return this.result;
		}

	}

	/** Picks with the selector among the ready connections. */
	static final class ReadyPicker extends SubchannelPicker {

		private final String service;

		private final Selector selector;

		private final Map<String, Subchannel> ready;

		private final List<Subchannel> readyList;

		private final SelectOptions options;

		private final AtomicInteger fallback = new AtomicInteger();

		ReadyPicker(MicroNameResolver.Binding binding, Map<String, Subchannel> ready) {
			this.service = binding.service();
			this.selector = binding.discovery().selector();
			this.ready = Map.copyOf(ready);
			this.readyList = new ArrayList<>(ready.values());
			this.options = SelectOptions.of(onlyAddresses(this.ready.keySet()));
		}

		@Override
		public PickResult pickSubchannel(PickSubchannelArgs args) {
			Node node;
			try {
				node = this.selector.select(this.service, this.options).next();
			}
			catch (NodesBusyException ex) {
				return PickResult.withError(Status.UNAVAILABLE.withDescription(ex.getMessage()));
			}
			catch (RuntimeException ex) {
				// the registry lost the service, or the selector's view and the connections disagree for a moment
				int index = Math.floorMod(this.fallback.getAndIncrement(), this.readyList.size());
				return PickResult.withSubchannel(this.readyList.get(index));
			}
			Subchannel subchannel = this.ready.get(node.address());
			if (subchannel == null) {
				// cannot happen: the filter keeps only ready addresses; end the selection without blaming the node
				this.selector.mark(this.service, node, null);
				return PickResult.withSubchannel(this.readyList.get(0));
			}
			return PickResult.withSubchannel(subchannel, new Outcome(this.service, node, this.selector));
		}

		private static ServiceFilter onlyAddresses(Set<String> addresses) {
			return (services) -> {
				List<Service> kept = new ArrayList<>(services.size());
				for (Service service : services) {
					List<Node> nodes = service.nodes().stream().filter((n) -> addresses.contains(n.address())).toList();
					if (!nodes.isEmpty()) {
						kept.add((nodes.size() == service.nodes().size()) ? service : service.withNodes(nodes));
					}
				}
				return kept;
			};
		}

	}

	/** Reports the end of the call on the picked node to the selector, once. */
	static final class Outcome extends ClientStreamTracer.Factory {

		private final String service;

		private final Node node;

		private final Selector selector;

		private final AtomicBoolean reported = new AtomicBoolean();

		Outcome(String service, Node node, Selector selector) {
			this.service = service;
			this.node = node;
			this.selector = selector;
		}

		@Override
		public ClientStreamTracer newClientStreamTracer(ClientStreamTracer.StreamInfo info, Metadata headers) {
			return new ClientStreamTracer() {

				@Override
				public void streamClosed(Status status) {
					report(status);
				}

			};
		}

		void report(Status status) {
			if (this.reported.compareAndSet(false, true)) {
				MicroException error = status.isOk() ? null
						: GrpcStatuses.toMicroException(this.service, status);
				this.selector.mark(this.service, this.node, error);
			}
		}

	}

}
