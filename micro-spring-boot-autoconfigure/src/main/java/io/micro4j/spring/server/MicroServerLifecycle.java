package io.micro4j.spring.server;

import java.util.Objects;

import io.micro4j.registry.Node;
import io.micro4j.server.DefaultServer;
import io.micro4j.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the micro {@link Server} once the context is refreshed and stops it gracefully when the context closes.
 * <p>
 * Starting first adds the collected {@link io.micro4j.spring.annotation.MicroHandler} beans and
 * {@link io.micro4j.spring.annotation.MicroSubscriber} methods, then binds, subscribes and registers. Stopping
 * deregisters, waits the deregister delay, drains calls in flight (bounded by the drain timeout) and closes the
 * transport. The {@link #PHASE phase} puts the start after the embedded web server's and the stop before the web
 * server's graceful shutdown, so the service leaves the registry before its HTTP side stops answering.
 */
public final class MicroServerLifecycle implements SmartLifecycle {

	/**
	 * The lifecycle phase: above the web server's graceful-shutdown phase ({@code DEFAULT_PHASE - 1024}), below the
	 * default phase.
	 */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

	private static final Logger logger = LoggerFactory.getLogger(MicroServerLifecycle.class);

	private final Server server;

	private final MicroAnnotationsPostProcessor annotations;

	private final java.util.function.BooleanSupplier ready;

	private boolean endpointsAdded;

	/** A lifecycle for {@code server}, adding what {@code annotations} collected before the first start. */
	public MicroServerLifecycle(Server server, MicroAnnotationsPostProcessor annotations) {
		this(server, annotations, () -> true);
	}

	/**
	 * A lifecycle whose {@link #start()} starts the server only once {@code ready} says so (e.g. when the server's
	 * transport is hosted by a gRPC server that starts later): until then start does nothing, and whoever makes it
	 * ready calls {@link #start()} again.
	 */
	public MicroServerLifecycle(Server server, MicroAnnotationsPostProcessor annotations,
			java.util.function.BooleanSupplier ready) {
		this.server = Objects.requireNonNull(server, "server");
		this.annotations = Objects.requireNonNull(annotations, "annotations");
		this.ready = Objects.requireNonNull(ready, "ready");
	}

	@Override
	public synchronized void start() {
		if (this.server.isRunning() || !this.ready.getAsBoolean()) {
			return;
		}
		if (!this.endpointsAdded) {
			this.annotations.applyTo(this.server);
			this.endpointsAdded = true;
		}
		this.server.start();
		if (logger.isInfoEnabled()) {
			boolean pending = this.server instanceof DefaultServer server && !server.wasRegistered();
			logger.info("Micro server '{}' started on {}, {} {} (node {}, {} handler(s), {} subscriber(s))",
					this.server.name(),
					this.server.boundAddress().map(address -> address.getHostString() + ":" + address.getPort()).orElse("?"),
					pending ? "registration pending as" : "registered as", registeredAddress(), this.server.nodeId(),
					this.annotations.handlers().size(), this.annotations.subscribers().size());
		}
	}

	private String registeredAddress() {
		try {
			return this.server.service().nodes().stream().map(Node::address).findFirst().orElse("?");
		}
		catch (RuntimeException ex) {
			return "?";
		}
	}

	@Override
	public synchronized void stop() {
		if (this.server.isRunning()) {
			logger.info("Stopping micro server '{}' (node {})", this.server.name(), this.server.nodeId());
			this.server.stop();
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.server.isRunning();
	}

	/**
	 * Not pauseable: a server, once stopped, cannot start again (its node is deregistered and its port closed), so
	 * a context that Spring pauses and later restarts (the test context cache does this between test classes) keeps
	 * its micro server running instead of failing on restart. It still stops when the context closes.
	 */
	@Override
	public boolean isPauseable() {
		return false;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/** The server this lifecycle drives. */
	public Server server() {
		return this.server;
	}

}
