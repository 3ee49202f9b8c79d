package io.micro4j.server;

import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.util.Optional;

import io.micro4j.registry.Service;
import org.jspecify.annotations.Nullable;

/**
 * The RPC server: go-micro's {@code server.Server}.
 * <p>
 * Handlers and subscribers are added before {@link #start()}. Starting binds the transport, subscribes to the
 * broker and registers the node; the registration is renewed every register interval. {@link #stop()} deregisters
 * first, then waits (bounded) for calls in flight, then closes the transport. Handlers run on the server's worker
 * executor, never on an I/O thread.
 */
public interface Server extends AutoCloseable {

	/** The service name this server registers. */
	String name();

	/** The node id, {@code <name>-<uuid>}. */
	String nodeId();

	/**
	 * Adds a handler: each of its endpoint methods becomes endpoint {@code <name>.<Method>} (method name
	 * capitalised), e.g. {@code Greeter.Hello}.
	 * <p>
	 * An endpoint method is a public instance method that the handler's class (never a CGLIB subclass) or an
	 * interface it implements declares, that takes one request parameter plus, optionally, a
	 * {@link io.micro4j.metadata.Metadata} parameter, and that is none of these: a setter ({@code setX} with one
	 * parameter, returning {@code void}), a method of a JDK or Spring type the handler extends or implements
	 * ({@code equals}, {@code close}, {@code destroy}, {@code afterPropertiesSet}, {@code Aware} setters, ...), a
	 * method only inherited from a superclass, a method annotated {@link NotAnEndpoint}. Methods without a request
	 * parameter (getters, {@code destroy()}) are never endpoints: go-micro's handlers take a request too.
	 * @param name the handler name, or {@code null} for the class's simple name
	 * @param handler the handler object
	 * @throws IllegalStateException once started
	 * @throws IllegalArgumentException if the handler has no endpoint method or duplicates an endpoint
	 */
	void handle(@Nullable String name, Object handler);

	/** {@link #handle(String, Object)} with the class's simple name. */
	default void handle(Object handler) {
		handle(null, handler);
	}

	/**
	 * Adds a subscriber: {@code method} of {@code bean} receives the decoded payload of each message on
	 * {@code topic} (a second parameter of type {@link io.micro4j.metadata.Metadata} receives the headers).
	 * @param queue the queue group, or {@code null} for broadcast
	 * @throws IllegalStateException once started
	 */
	void subscribe(String topic, @Nullable String queue, Object bean, Method method);

	/**
	 * Binds, subscribes and registers.
	 * @throws IllegalStateException if already started
	 */
	void start();

	/** Deregisters, drains calls in flight (bounded), closes the transport and subscriptions. Idempotent. */
	void stop();

	/** Whether the server is started and not yet stopped. */
	boolean isRunning();

	/** The address the transport is bound to, once started. */
	Optional<InetSocketAddress> boundAddress();

	/** The registry record this server registers (node address known once started). */
	Service service();

	@Override
	default void close() {
		stop();
	}

}
