package io.micro4j.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;

import io.micro4j.errors.FailureClassifier;
import io.micro4j.errors.FailureKind;
import io.micro4j.errors.MicroException;
import io.micro4j.registry.Endpoint;
import io.micro4j.registry.Registry;
import io.micro4j.registry.Service;
import io.micro4j.selector.Next;
import io.micro4j.selector.NodesBusyException;
import io.micro4j.selector.NoneAvailableException;
import io.micro4j.selector.ServiceNotFoundException;
import org.jspecify.annotations.Nullable;

/**
 * The retry stage: runs the attempts of a call, each with its own context, and decides after a failure whether
 * another attempt follows. Always: the {@link RetryPolicy} agrees for the classified failure and the deadline has not
 * passed. A failure that never reached a handler is retried at once on a node this call has not tried, as long as
 * there is one; it costs no server anything, so neither {@link CallOptions#retries()} nor the budget counts it. Any
 * other failure is retried while processed attempts are fewer than the retries, the service's {@link RetryBudget}
 * has room, and the backoff ends before the deadline.
 */
final class RetryStage implements CallWrapper {

	/** Attempts of one call at most, whatever they are: a guard against a selection that never runs dry. */
	static final int MAX_ATTEMPTS = 10_000;

	private final RetryBudget budget;

	private final @Nullable Registry registry;

	private final ScheduledExecutorService timer;

	private final ClientMeters meters;

	private final BiPredicate<String, String> idempotentEndpoints;

	private final Map<String, RetryBudget.Window> windows = new ConcurrentHashMap<>();

	RetryStage(RetryBudget budget, BiPredicate<String, String> idempotentEndpoints, @Nullable Registry registry,
			ScheduledExecutorService timer, ClientMeters meters) {
		this.budget = budget;
		this.idempotentEndpoints = idempotentEndpoints;
		this.registry = registry;
		this.timer = timer;
		this.meters = meters;
	}

	@Override
	public CallFunction wrap(CallFunction next) {
		return context -> {
			RetryBudget.Window window = window(context.service());
			window.onCall();
			ClientMeters.ServiceMeters serviceMeters = this.meters.of(context.service());
			if (serviceMeters != null) {
				serviceMeters.requests.increment();
			}
			CompletableFuture<Response> result = new CompletableFuture<>();
			attempt(next, context, 0, 0, window, serviceMeters, result);
			return result;
		};
	}

	private RetryBudget.Window window(String service) {
		RetryBudget.Window window = this.windows.get(service);
		return (window != null) ? window
				: this.windows.computeIfAbsent(service, s -> this.budget.newWindow(System::nanoTime));
	}

	/**
	 * Runs attempt {@code attempt} of {@code call}; {@code processed} counts the earlier attempts that may have
	 * reached a handler, the only ones {@link CallOptions#retries()} and the budget limit.
	 */
	private void attempt(CallFunction next, ClientRequestContext call, int attempt, int processed,
			RetryBudget.Window window, ClientMeters.@Nullable ServiceMeters meters, CompletableFuture<Response> result) {
		if (result.isDone()) {
			return;
		}
		ClientRequestContext context = call.newAttempt(attempt);
		if (meters != null) {
			meters.attempts.increment();
		}
		CompletableFuture<Response> future = next.callSafely(context);
		future.whenComplete((response, error) -> {
			if (error == null) {
				result.complete(response);
				return;
			}
			Throwable cause = FailureClassifier.unwrap(error);
			FailureKind kind = FailureClassifier.classify(cause);
			CallOptions options = call.options();
			if (kind == null || cause instanceof NoneAvailableException || cause instanceof ServiceNotFoundException
					|| cause instanceof NodesBusyException || call.deadline().isExpired()
					|| !options.retryPolicy().shouldRetry(context, kind, idempotent(call))) {
				result.completeExceptionally(cause);
				return;
			}
			if (kind == FailureKind.NOT_PROCESSED) {
				// it cost no server anything: at once, on a node not tried yet, outside retries and budget
				Next selection = call.selection();
				if (selection == null || !selection.hasUntried() || attempt >= MAX_ATTEMPTS) {
					result.completeExceptionally(cause);
					return;
				}
				if (meters != null) {
					meters.retried(kind);
				}
				attempt(next, call, attempt + 1, processed, window, meters, result);
				return;
			}
			if (processed >= options.retries()) {
				result.completeExceptionally(cause);
				return;
			}
			Duration delay = options.backoff().delay(processed + 1);
			if (delay.toNanos() >= call.deadline().remainingNanos()) {
				result.completeExceptionally(cause);
				return;
			}
			if (!window.tryRetry()) {
				if (meters != null) {
					meters.budgetExhausted.increment();
				}
				result.completeExceptionally(cause);
				return;
			}
			if (meters != null) {
				meters.retried(kind);
			}
			if (delay.isZero() || delay.isNegative()) {
				attempt(next, call, attempt + 1, processed + 1, window, meters, result);
				return;
			}
			try {
				this.timer.schedule(() -> attempt(next, call, attempt + 1, processed + 1, window, meters, result),
						delay.toNanos(), TimeUnit.NANOSECONDS);
			}
			catch (RejectedExecutionException ex) {
				result.completeExceptionally(new MicroException("go.micro.client", 500, "client is closed",
						MicroException.statusText(500), cause));
			}
		});
	}

	/** The options' say, else the configuration's, else the endpoint's registry metadata. */
	private boolean idempotent(ClientRequestContext call) {
		Boolean declared = call.options().idempotent();
		if (declared != null) {
			return declared;
		}
		if (this.idempotentEndpoints.test(call.service(), call.endpoint())) {
			return true;
		}
		Registry r = this.registry;
		if (r == null) {
			return false;
		}
		try {
			List<Service> versions = r.getService(call.service());
			for (Service version : versions) {
				for (Endpoint endpoint : version.endpoints()) {
					if (endpoint.name().equals(call.endpoint())) {
						return "true".equalsIgnoreCase(endpoint.metadata().get(Idempotent.METADATA_KEY));
					}
				}
			}
		}
		catch (RuntimeException ex) {
			return false;
		}
		return false;
	}

}
