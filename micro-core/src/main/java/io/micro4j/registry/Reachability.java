package io.micro4j.registry;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a client has seen of its backend's reachability: reachable, or unreachable since an instant with a cause.
 * It is learnt from the client's own traffic (calls, streams, probes) and read without network I/O.
 *
 * @param reachable whether the last exchange with the backend succeeded (or none failed yet)
 * @param since when the backend became unreachable; empty while it is reachable
 * @param cause why the first failed exchange of the outage failed; empty while it is reachable
 */
public record Reachability(boolean reachable, Optional<Instant> since, Optional<String> cause) {

	private static final Reachability UP = new Reachability(true, Optional.empty(), Optional.empty());

	public Reachability {
		Objects.requireNonNull(since, "since");
		Objects.requireNonNull(cause, "cause");
	}

	/** A backend that answers (or has not failed yet). */
	public static Reachability up() {
		return UP;
	}

	/** A backend that has not answered since {@code since}, because of {@code cause}. */
	public static Reachability unreachable(Instant since, String cause) {
		return new Reachability(false, Optional.of(since), Optional.of(cause));
	}

}
