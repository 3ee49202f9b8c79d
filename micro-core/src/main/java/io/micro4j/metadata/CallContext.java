package io.micro4j.metadata;

import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The context of the call being handled on the current thread: the incoming metadata (every request header plus
 * {@code Local} and {@code Remote}, as go-micro's server puts them in the context) and the deadline derived from
 * the caller's {@code Timeout} header.
 * <p>
 * Handlers read it with {@link #current()}. Outgoing calls made while it is current inherit its
 * {@link #propagatedMetadata() metadata} and its deadline, so a chain of calls honours the first caller's budget.
 * The server makes it current around the handler; code that hops threads carries it with {@link #makeCurrent()}.
 */
public final class CallContext {

	/**
	 * Keys that describe one hop of the transport, or a credential meant for this hop ({@code Authorization}: a
	 * caller's bearer token is passed on only by a decorator that says so, see micro-security), and so are never
	 * inherited by an outgoing call.
	 */
	public static final Set<String> HOP_KEYS = Set.of("Content-Length", "Content-Type", "Accept", "Accept-Encoding",
			"Host", "User-Agent", "Connection", "Keep-Alive", "Transfer-Encoding", "Timeout", "Local", "Remote",
			"Micro-Id", "Micro-Service", "Micro-Method", "Micro-Endpoint", "Micro-Error", "Micro-Topic",
			"Micro-Stream", "Micro-Protocol", "Micro-Target", "X-Micro-Error", "Authorization");

	private static final CallContext EMPTY = new CallContext(Metadata.empty(), null, null);

	private static final ThreadLocal<CallContext> CURRENT = new ThreadLocal<>();

	private final Metadata metadata;

	private final @Nullable Deadline deadline;

	private final @Nullable Cancellation cancellation;

	private CallContext(Metadata metadata, @Nullable Deadline deadline, @Nullable Cancellation cancellation) {
		this.metadata = metadata;
		this.deadline = deadline;
		this.cancellation = cancellation;
	}

	public static CallContext of(Metadata metadata, @Nullable Deadline deadline) {
		return new CallContext(metadata, deadline, null);
	}

	/** A context whose cancellation state is {@code cancellation} (the server passes the call's). */
	public static CallContext of(Metadata metadata, @Nullable Deadline deadline, Cancellation cancellation) {
		return new CallContext(metadata, deadline, cancellation);
	}

	/** The context bound to this thread, or an empty one (no metadata, no deadline). */
	public static CallContext current() {
		CallContext ctx = CURRENT.get();
		return (ctx != null) ? ctx : EMPTY;
	}

	/** The context bound to this thread, {@code null} when none is; for {@link CallContextAccessor}. */
	static @Nullable CallContext currentOrNull() {
		return CURRENT.get();
	}

	/** Binds {@code context} to this thread, or unbinds when {@code null}; for {@link CallContextAccessor}. */
	static void setCurrent(@Nullable CallContext context) {
		if (context == null) {
			CURRENT.remove();
		}
		else {
			CURRENT.set(context);
		}
	}

	/** The incoming metadata; empty outside a call. */
	public Metadata metadata() {
		return this.metadata;
	}

	/** The deadline of the call being handled, if the caller sent one. */
	public Optional<Deadline> deadline() {
		return Optional.ofNullable(this.deadline);
	}

	/** The metadata an outgoing call inherits: everything but the {@link #HOP_KEYS}. */
	public Metadata propagatedMetadata() {
		Metadata result = this.metadata;
		for (String key : this.metadata.keys()) {
			if (HOP_KEYS.contains(key)) {
				result = result.without(key);
			}
		}
		return result;
	}

	/** A copy with {@code extra} merged into the metadata. */
	public CallContext withMetadata(Metadata extra) {
		return new CallContext(this.metadata.merge(extra), this.deadline, this.cancellation);
	}

	/** A copy with the given deadline, or the earlier of both when one exists. */
	public CallContext withDeadline(Deadline deadline) {
		return new CallContext(this.metadata, (this.deadline != null) ? this.deadline.min(deadline) : deadline,
				this.cancellation);
	}

	/**
	 * Whether the call was cancelled: the server already answered the caller with a 408 because the deadline passed,
	 * and will drop whatever the handler returns. Always {@code false} outside a call.
	 */
	public boolean isCancelled() {
		return this.cancellation != null && this.cancellation.isCancelled();
	}

	/**
	 * Runs {@code callback} when the call is cancelled (at once if it already is); see
	 * {@link Cancellation#onCancel(Runnable)}. Outside a call, or for a call that completes in time, it never runs.
	 */
	public void onCancel(Runnable callback) {
		if (this.cancellation != null) {
			this.cancellation.onCancel(callback);
		}
	}

	/** Binds this context to the current thread until the returned scope is closed. */
	public Scope makeCurrent() {
		CallContext previous = CURRENT.get();
		CURRENT.set(this);
		return () -> {
			if (previous == null) {
				CURRENT.remove();
			}
			else {
				CURRENT.set(previous);
			}
		};
	}

	/** Restores the previous context when closed. */
	@FunctionalInterface
	public interface Scope extends AutoCloseable {

		@Override
		void close();

	}

}
