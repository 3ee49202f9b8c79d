package io.micro4j.grpc;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import io.grpc.NameResolver;
import io.micro4j.registry.Registry;
import io.micro4j.selector.Selector;
import org.jspecify.annotations.Nullable;

/**
 * What a {@code micro:///<service>} channel resolves and balances with: the registry its nodes come from (a
 * {@link io.micro4j.registry.RegistryCache}, so lookups are served from memory and survive a registry outage) and
 * the selector that picks a node for each call.
 * <p>
 * A channel finds its discovery in its name resolver arguments ({@link #ARG}, set with
 * {@code ManagedChannelBuilder.setNameResolverArg(MicroDiscovery.ARG, discovery)}), or else uses the process-wide
 * one {@linkplain #install installed} by the Spring Boot auto-configuration (or by hand).
 *
 * @param registry where the nodes of a service are looked up and watched
 * @param selector picks the node of each call and learns from how the call ended
 * @param protocol the value of node metadata {@code protocol} a node must have to be used ({@code grpc})
 */
public record MicroDiscovery(Registry registry, Selector selector, String protocol) {

	/** The name resolver argument that gives a channel its own discovery. */
	public static final NameResolver.Args.Key<MicroDiscovery> ARG = NameResolver.Args.Key.create("micro4j.discovery");

	/** The node metadata value of gRPC nodes, as go-micro registers them. */
	public static final String GRPC = "grpc";

	private static final AtomicReference<@Nullable MicroDiscovery> installed = new AtomicReference<>();

	public MicroDiscovery {
		Objects.requireNonNull(registry, "registry");
		Objects.requireNonNull(selector, "selector");
		Objects.requireNonNull(protocol, "protocol");
	}

	/** A discovery of the gRPC nodes ({@code protocol=grpc}) of {@code registry}. */
	public static MicroDiscovery of(Registry registry, Selector selector) {
		return new MicroDiscovery(registry, selector, GRPC);
	}

	/**
	 * Makes {@code discovery} the process-wide one, used by channels that do not name their own.
	 * @return a handle whose {@code close()} removes it again (unless another was installed since)
	 */
	public static Installation install(MicroDiscovery discovery) {
		Objects.requireNonNull(discovery, "discovery");
		installed.set(discovery);
		return () -> installed.compareAndSet(discovery, null);
	}

	/** The process-wide discovery, if one is installed. */
	public static @Nullable MicroDiscovery installed() {
		return installed.get();
	}

	/** The discovery named in {@code args}, else the installed one. */
	static @Nullable MicroDiscovery from(NameResolver.Args args) {
		MicroDiscovery own = args.getArg(ARG);
		return (own != null) ? own : installed.get();
	}

	/** Removes an {@linkplain #install installed} discovery. */
	@FunctionalInterface
	public interface Installation extends AutoCloseable {

		@Override
		void close();

	}

}
