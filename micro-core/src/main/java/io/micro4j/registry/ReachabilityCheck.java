package io.micro4j.registry;

/**
 * An optional ability of a {@link Registry} that talks to a registry server: what its own traffic has seen of that
 * server's reachability, for health checks. It does no network I/O, so it never blocks.
 * <p>
 * A registry with this ability also logs each outage itself, once per process: one WARN with the cause when the
 * server stops answering and one INFO when it answers again, however many calls, watches and keep-alives fail in
 * between. Components in front of it ({@link RegistryCache}, the server's registration loop) then log their own
 * retries at DEBUG only, so an outage reads as two lines. Registries without it (the memory registry, a registry
 * of the application's own) keep those components' WARN and INFO lines.
 */
@FunctionalInterface
public interface ReachabilityCheck {

	/**
	 * What the registry's traffic has seen.
	 * @return {@link Reachability#reachable()} until an exchange with the server fails for want of a connection
	 * or an answer, then unreachable with when and why, until an exchange succeeds again
	 */
	Reachability reachability();

	/** Whether {@code registry} logs its own outages (it is a {@link ReachabilityCheck}). */
	static boolean logsOutages(Registry registry) {
		return registry instanceof ReachabilityCheck;
	}

}
