package io.micro4j.server;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;

import io.micro4j.broker.Broker;
import io.micro4j.codec.Codecs;
import io.micro4j.observation.ReceiveConvention;
import io.micro4j.observation.ServerCallConvention;
import io.micro4j.registry.Registry;
import io.micro4j.transport.TransportServer;
import io.micro4j.transport.http.ConnectionLimits;
import io.micrometer.observation.ObservationRegistry;
import io.netty.util.Timer;
import org.jspecify.annotations.Nullable;

/**
 * The options of one {@link DefaultServer}: a snapshot of its builder taken by {@link DefaultServer.Builder#build()},
 * immutable, so the server never reads the builder again.
 */
final class ServerOptions {

	final String name;

	final String id;

	final String version;

	final String address;

	final @Nullable String advertise;

	final Map<String, String> metadata;

	final Registry registry;

	final @Nullable Broker broker;

	final @Nullable TransportServer transport;

	final ConnectionLimits connectionLimits;

	final Codecs codecs;

	final Duration registerTtl;

	final Duration registerInterval;

	final Duration deregisterDelay;

	final Duration drainTimeout;

	final @Nullable ExecutorService executor;

	final int handlerThreads;

	final int maxQueuedCalls;

	final int maxConcurrentCalls;

	final Map<String, Integer> endpointConcurrencyLimits;

	final List<HandlerWrapper> wrappers;

	final List<SubscriberWrapper> subscriberWrappers;

	final @Nullable Timer timer;

	final ObservationRegistry observationRegistry;

	final @Nullable ServerCallConvention callConvention;

	final @Nullable ReceiveConvention receiveConvention;

	final boolean exposeExceptionMessages;

	ServerOptions(DefaultServer.Builder b) {
		this.name = b.name;
		this.id = (b.id != null) ? b.id : UUID.randomUUID().toString();
		this.version = b.version;
		this.address = b.address;
		this.advertise = b.advertise;
		this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(b.metadata));
		this.registry = Objects.requireNonNull(b.registry, "registry");
		this.broker = b.broker;
		this.transport = b.transport;
		this.connectionLimits = b.connectionLimits;
		this.codecs = b.codecs;
		this.registerTtl = b.registerTtl;
		this.registerInterval = b.registerInterval;
		this.deregisterDelay = b.deregisterDelay;
		this.drainTimeout = b.drainTimeout;
		this.executor = b.executor;
		this.handlerThreads = b.handlerThreads;
		this.maxQueuedCalls = b.maxQueuedCalls;
		this.maxConcurrentCalls = b.maxConcurrentCalls;
		this.endpointConcurrencyLimits = Map.copyOf(b.endpointConcurrencyLimits);
		this.wrappers = List.copyOf(b.wrappers);
		this.subscriberWrappers = List.copyOf(b.subscriberWrappers);
		this.timer = b.timer;
		this.observationRegistry = b.observationRegistry;
		this.callConvention = b.callConvention;
		this.receiveConvention = b.receiveConvention;
		this.exposeExceptionMessages = b.exposeExceptionMessages;
	}

	/** The node id: {@code <name>-<id>}. */
	String nodeId() {
		return this.name + "-" + this.id;
	}

}
