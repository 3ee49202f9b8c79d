package io.micro4j.grpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;

import com.google.protobuf.Descriptors;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.ProtoMethodDescriptorSupplier;
import io.micro4j.internal.Arguments;
import io.micro4j.internal.LogSafe;
import io.micro4j.registry.Endpoint;
import io.micro4j.registry.Node;
import io.micro4j.registry.Registry;
import io.micro4j.registry.Service;
import io.micro4j.registry.Value;
import io.micro4j.server.Registration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the services of a grpc-java server (a Spring gRPC server's, or any) in the micro registry as one go-micro
 * gRPC node: node metadata {@code protocol=grpc}, {@code server=grpc}, {@code transport=grpc} and {@code registry},
 * endpoints {@code <Service>.<Method>} (the last dotted segment of the gRPC service name, as go-micro's gRPC server
 * routes it) with request and response trees from the protobuf descriptors. The record is renewed every register
 * interval by micro-core's registration loop ({@link Registration}): a failed registration is retried until it
 * succeeds, an outage and its end are logged once each. {@link #deregister()} removes the node, for clients to stop
 * sending before the server stops. A server that speaks TLS registers {@code secure=true} too
 * ({@link Builder#secure(boolean)}), so clients dial it with TLS.
 */
public final class GrpcServiceRegistration implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(GrpcServiceRegistration.class);

	private static final int MAX_DEPTH = 3;

	private final Registry registry;

	private final String name;

	private final String version;

	private final Map<String, String> metadata;

	private final boolean secure;

	private final Duration ttl;

	private final Duration interval;

	private final ScheduledExecutorService scheduler;

	private final String nodeId;

	private @Nullable Registration registration;

	private boolean deregistered;

	private GrpcServiceRegistration(Builder builder) {
		this.registry = builder.registry;
		this.name = builder.name;
		this.version = builder.version;
		this.metadata = Map.copyOf(builder.metadata);
		this.secure = builder.secure;
		this.ttl = builder.ttl;
		this.interval = builder.interval;
		this.scheduler = Objects.requireNonNull(builder.scheduler, "scheduler");
		this.nodeId = builder.name + "-" + UUID.randomUUID();
	}

	/** A registration of service {@code name} in {@code registry}. */
	public static Builder builder(Registry registry, String name) {
		return new Builder(registry, name);
	}

	/** The node id registered. */
	public String nodeId() {
		return this.nodeId;
	}

	/** The record registered for {@code services} served at {@code address} ({@code host:port}). */
	public Service describe(List<ServerServiceDefinition> services, String address) {
		Map<String, String> nodeMetadata = new LinkedHashMap<>(this.metadata);
		nodeMetadata.putAll(GrpcTls.nodeMetadata(this.secure));
		nodeMetadata.put("registry", this.registry.name());
		return new Service(this.name, this.version, Map.of(), endpoints(services),
				List.of(new Node(this.nodeId, address, nodeMetadata)));
	}

	/**
	 * The endpoints of {@code services} as go-micro registers a gRPC server's: {@code <Service>.<Method>} (the last
	 * dotted segment of the service name), request and response values from the protobuf descriptors, and
	 * {@code stream=true} on streaming methods; gRPC's own services ({@code grpc.*}: health, reflection) left out.
	 */
	public static List<Endpoint> endpoints(List<ServerServiceDefinition> services) {
		List<Endpoint> endpoints = new ArrayList<>();
		for (ServerServiceDefinition service : services) {
			String serviceName = service.getServiceDescriptor().getName();
			if (serviceName.startsWith("grpc.")) {
				continue; // health, reflection: gRPC's own services
			}
			String handler = serviceName.substring(serviceName.lastIndexOf('.') + 1);
			for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
				MethodDescriptor<?, ?> descriptor = method.getMethodDescriptor();
				endpoints.add(endpoint(handler + "." + descriptor.getBareMethodName(), descriptor));
			}
		}
		return endpoints;
	}

	/** Registers {@code services} at {@code address} now and renews the record until {@link #deregister()}. */
	public synchronized void start(List<ServerServiceDefinition> services, String address) {
		if (this.registration != null) {
			throw new IllegalStateException("already registered");
		}
		Service service = describe(services, address);
		Registration loop = Registration.of("gRPC server of", this.registry, this.nodeId, this.ttl, this.interval,
				this.scheduler);
		this.registration = loop;
		RuntimeException failure = loop.start(service);
		if (failure == null) {
			logger.info("gRPC server of {} registered as {} at {} in the {} registry ({} endpoints)", this.name,
					this.nodeId, address, this.registry.name(), service.endpoints().size());
		}
		else {
			logger.warn("registration of gRPC node {} in the {} registry failed, retrying until it succeeds: {}",
					this.nodeId, this.registry.name(), LogSafe.text(failure.getMessage()));
		}
	}

	/** Stops renewing and removes the node from the registry; idempotent. */
	public synchronized void deregister() {
		Registration loop = this.registration;
		if (loop == null || this.deregistered) {
			return;
		}
		this.deregistered = true;
		loop.stop();
		logger.info("gRPC node {} of {} deregistered", this.nodeId, this.name);
	}

	@Override
	public void close() {
		deregister();
	}

	private static Endpoint endpoint(String name, MethodDescriptor<?, ?> method) {
		Value request = null;
		Value response = null;
		if (method.getSchemaDescriptor() instanceof ProtoMethodDescriptorSupplier supplier) {
			Descriptors.MethodDescriptor proto = supplier.getMethodDescriptor();
			request = value(proto.getInputType().getName(), proto.getInputType(), 0);
			response = value(proto.getOutputType().getName(), proto.getOutputType(), 0);
		}
		Map<String, String> metadata = new LinkedHashMap<>();
		if (method.getType() != MethodDescriptor.MethodType.UNARY && method.getType() != MethodDescriptor.MethodType.UNKNOWN) {
			metadata.put("stream", "true");
		}
		return new Endpoint(name, request, response, metadata);
	}

	/** go-micro's value tree of a message: fields by JSON name, nested messages to depth {@value #MAX_DEPTH}. */
	private static Value value(String name, Descriptors.Descriptor message, int depth) {
		List<Value> fields = new ArrayList<>();
		if (depth < MAX_DEPTH) {
			for (Descriptors.FieldDescriptor field : message.getFields()) {
				if (field.getJavaType() == Descriptors.FieldDescriptor.JavaType.MESSAGE) {
					fields.add(value(field.getJsonName(), field.getMessageType(), depth + 1));
				}
				else {
					fields.add(Value.of(field.getJsonName(), field.getType().name().toLowerCase(java.util.Locale.ROOT)));
				}
			}
		}
		return Value.of(name, message.getName(), fields);
	}

	/** Options of a {@link GrpcServiceRegistration}. */
	public static final class Builder {

		private final Registry registry;

		private final String name;

		private String version = Service.DEFAULT_VERSION;

		private Map<String, String> metadata = Map.of();

		private boolean secure;

		private Duration ttl = Duration.ofSeconds(90);

		private Duration interval = Duration.ofSeconds(30);

		private @Nullable ScheduledExecutorService scheduler;

		private Builder(Registry registry, String name) {
			this.registry = Objects.requireNonNull(registry, "registry");
			this.name = Objects.requireNonNull(name, "name");
		}

		public Builder version(String version) {
			this.version = Objects.requireNonNull(version, "version");
			return this;
		}

		/** Node metadata added to go-micro's keys. */
		public Builder metadata(Map<String, String> metadata) {
			this.metadata = Objects.requireNonNull(metadata, "metadata");
			return this;
		}

		/**
		 * Whether the server speaks TLS: the node then registers {@code secure=true}, and micro4j clients and
		 * {@code micro:///} channels dial it with TLS; {@code false} by default.
		 */
		public Builder secure(boolean secure) {
			this.secure = secure;
			return this;
		}

		/** How long the record lives unless renewed (90 s); zero registers without expiry. */
		public Builder ttl(Duration ttl) {
			this.ttl = Arguments.nonNegative("ttl", ttl);
			return this;
		}

		/** How often the record is renewed (30 s); zero registers once. */
		public Builder interval(Duration interval) {
			this.interval = Arguments.nonNegative("interval", interval);
			return this;
		}

		/** Where renewals and retries run (not shut down by the registration). */
		public Builder scheduler(ScheduledExecutorService scheduler) {
			this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
			return this;
		}

		public GrpcServiceRegistration build() {
			return new GrpcServiceRegistration(this);
		}

	}

}
