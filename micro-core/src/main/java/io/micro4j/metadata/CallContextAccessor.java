package io.micro4j.metadata;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ThreadLocalAccessor;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer context-propagation's view of the {@link CallContext#current() current call context}, so a
 * {@link io.micrometer.context.ContextSnapshot} captures the incoming metadata and the deadline of the call being
 * handled and restores them on the thread that continues the work: tasks of an executor wrapped with
 * {@link io.micrometer.context.ContextExecutorService#wrap}, Spring's {@code @Async} methods and task executors
 * decorated with {@code ContextPropagatingTaskDecorator}, and Reactor with automatic context propagation.
 * <p>
 * It is registered through {@code META-INF/services/io.micrometer.context.ThreadLocalAccessor}, so
 * {@link ContextRegistry#getInstance()} finds it without code; its key is {@value #KEY}. The trace travels beside it
 * through Micrometer's own {@code ObservationThreadLocalAccessor}.
 * <p>
 * {@link #getValue()} is {@code null} outside a call, so a snapshot taken there carries no call context; restoring a
 * scope puts back the context the thread had before, or none.
 */
public final class CallContextAccessor implements ThreadLocalAccessor<CallContext> {

	/** The key of the call context in a {@link io.micrometer.context.ContextSnapshot}. */
	public static final String KEY = "micro4j.call-context";

	@Override
	public Object key() {
		return KEY;
	}

	/** The context bound to this thread, or {@code null} outside a call. */
	@Override
	public @Nullable CallContext getValue() {
		return CallContext.currentOrNull();
	}

	/** Binds {@code value} to this thread. */
	@Override
	public void setValue(CallContext value) {
		CallContext.setCurrent(value);
	}

	/** Unbinds any context from this thread. */
	@Override
	public void setValue() {
		CallContext.setCurrent(null);
	}

	/** Puts back the context this thread had before the scope was opened. */
	@Override
	public void restore(CallContext previousValue) {
		CallContext.setCurrent(previousValue);
	}

	/** Unbinds the context: this thread had none before the scope was opened. */
	@Override
	public void restore() {
		CallContext.setCurrent(null);
	}

}
