package io.micro4j.grpc;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import org.jspecify.annotations.Nullable;

/**
 * The name resolver of {@code micro:///<service>} targets (scheme {@code micro}): the service's gRPC nodes from the
 * micro registry, balanced by the selector (see {@link MicroDiscovery}). Registered through the service loader, so
 * any grpc-java channel built with {@code forTarget("micro:///greeter")} uses it; {@code micro://greeter} and
 * {@code micro:greeter} name the same service.
 */
public final class MicroNameResolverProvider extends NameResolverProvider {

	/** The target scheme. */
	public static final String SCHEME = "micro";

	private static final ExecutorService lookups = lookupExecutor();

	private final @Nullable MicroDiscovery discovery;

	/** The provider the service loader creates: it uses the channel's own or the installed discovery. */
	public MicroNameResolverProvider() {
		this.discovery = null;
	}

	/** A provider that always uses {@code discovery}, for {@code NameResolverRegistry.register}. */
	public MicroNameResolverProvider(MicroDiscovery discovery) {
		this.discovery = discovery;
	}

	@Override
	public @Nullable NameResolver newNameResolver(URI target, NameResolver.Args args) {
		if (!SCHEME.equals(target.getScheme())) {
			return null;
		}
		String service = serviceName(target);
		MicroDiscovery resolved = (this.discovery != null) ? this.discovery : MicroDiscovery.from(args);
		if (resolved == null) {
			throw new IllegalStateException("target " + target + " needs a micro registry: add micro-grpc next to "
					+ "micro-spring-boot-starter, or install one with MicroDiscovery.install(...) or set "
					+ "MicroDiscovery.ARG on the channel builder");
		}
		Executor offload = args.getOffloadExecutor();
		return new MicroNameResolver(service, resolved, args, (offload != null) ? offload : lookups);
	}

	/** The service a target names: the path of {@code micro:///greeter}, the authority of {@code micro://greeter}. */
	static String serviceName(URI target) {
		String name = target.getPath();
		if (name != null && name.startsWith("/")) {
			name = name.substring(1);
		}
		if (name == null || name.isEmpty()) {
			name = (target.getAuthority() != null) ? target.getAuthority() : target.getSchemeSpecificPart();
		}
		if (name == null || name.isEmpty() || name.contains("/")) {
			throw new IllegalArgumentException("target " + target + " does not name a service: use micro:///<service>");
		}
		return name;
	}

	@Override
	public String getDefaultScheme() {
		return SCHEME;
	}

	@Override
	protected boolean isAvailable() {
		return true;
	}

	/**
	 * 4: below grpc-java's DNS resolver (5), whose scheme must stay the default one, the scheme of targets that name
	 * none ({@code forAddress(host, port)}, {@code "host:port"}); the {@code micro} scheme has no other provider.
	 */
	@Override
	protected int priority() {
		return 4;
	}

	@Override
	public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
		return List.of(InetSocketAddress.class);
	}

	/** Registry lookups of channels without an offload executor: daemon threads that end when idle. */
	private static ExecutorService lookupExecutor() {
		AtomicInteger count = new AtomicInteger();
		ThreadPoolExecutor executor = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
				(runnable) -> {
					Thread thread = new Thread(runnable, "micro-grpc-resolver-" + count.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
		executor.allowCoreThreadTimeOut(true);
		return executor;
	}

}
