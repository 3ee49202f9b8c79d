package io.micro4j.client;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micro4j.errors.FailureKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

/**
 * The client's counters, per service (tag {@code micro.service}): {@value #REQUESTS} (calls, each once however many
 * attempts), {@value #ATTEMPTS}, {@value #RETRIES} (also tagged {@code kind}: the failure that was retried) and
 * {@value #BUDGET_EXHAUSTED} (retries refused by the retry budget). Without a meter registry nothing is counted.
 */
final class ClientMeters {

	static final String REQUESTS = "micro.client.requests";

	static final String ATTEMPTS = "micro.client.attempts";

	static final String RETRIES = "micro.client.retries";

	static final String BUDGET_EXHAUSTED = "micro.client.retry.budget.exhausted";

	private final @Nullable MeterRegistry registry;

	private final Map<String, ServiceMeters> services = new ConcurrentHashMap<>();

	ClientMeters(@Nullable MeterRegistry registry) {
		this.registry = registry;
	}

	@Nullable ServiceMeters of(String service) {
		MeterRegistry r = this.registry;
		if (r == null) {
			return null;
		}
		ServiceMeters meters = this.services.get(service);
		return (meters != null) ? meters : this.services.computeIfAbsent(service, s -> new ServiceMeters(r, s));
	}

	static final class ServiceMeters {

		final Counter requests;

		final Counter attempts;

		final Counter budgetExhausted;

		private final Map<FailureKind, Counter> retries = new java.util.EnumMap<>(FailureKind.class);

		ServiceMeters(MeterRegistry registry, String service) {
			this.requests = Counter.builder(REQUESTS)
				.description("Client calls, each counted once however many attempts it took")
				.tag("micro.service", service)
				.register(registry);
			this.attempts = Counter.builder(ATTEMPTS)
				.description("Attempts of client calls, the first included")
				.tag("micro.service", service)
				.register(registry);
			this.budgetExhausted = Counter.builder(BUDGET_EXHAUSTED)
				.description("Retries refused because the service's retry budget was spent")
				.tag("micro.service", service)
				.register(registry);
			for (FailureKind kind : FailureKind.values()) {
				this.retries.put(kind, Counter.builder(RETRIES)
					.description("Retried attempts, by the kind of failure retried")
					.tag("micro.service", service)
					.tag("kind", kind.name().toLowerCase(java.util.Locale.ROOT))
					.register(registry));
			}
		}

		void retried(FailureKind kind) {
			this.retries.get(kind).increment();
		}

	}

}
