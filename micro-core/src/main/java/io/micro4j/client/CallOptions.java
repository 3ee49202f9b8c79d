package io.micro4j.client;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import io.micro4j.internal.Arguments;
import io.micro4j.selector.SelectOptions;
import org.jspecify.annotations.Nullable;

/**
 * Options of one call. Defaults are go-micro's: {@value #DEFAULT_RETRIES} retries, a
 * {@link #DEFAULT_REQUEST_TIMEOUT 30 s} budget for the whole call including retries, a
 * {@link #DEFAULT_CONNECTION_TIMEOUT 5 s} budget per attempt (sent to the server as the {@code Timeout} header);
 * unlike go-micro, jittered exponential backoff and {@link RetryPolicy#safe() safe retries}: what never reached a
 * handler is retried for every endpoint, timeouts and 5xx only for idempotent ones.
 *
 * @param requestTimeout the budget of the whole call, retries and backoff included
 * @param connectionTimeout the budget of one attempt; also the {@code Timeout} header value
 * @param retries how many retries after the first attempt ({@code 5} means up to 6 attempts)
 * @param backoff the wait before each retry
 * @param retryPolicy which failures are retried
 * @param selectOptions filters and strategy for node selection
 * @param addresses fixed node addresses that bypass the registry; empty to discover through the selector
 * @param idempotent whether the endpoint may be repeated after a timeout or 5xx; {@code null} to go by the
 * endpoint's registry metadata ({@link Idempotent})
 */
public record CallOptions(Duration requestTimeout, Duration connectionTimeout, int retries, Backoff backoff,
		RetryPolicy retryPolicy, SelectOptions selectOptions, List<String> addresses, @Nullable Boolean idempotent) {

	/** go-micro's default number of retries. */
	public static final int DEFAULT_RETRIES = 5;

	/** go-micro's default budget for a whole call: 30 seconds. */
	public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

	/** go-micro's default budget for one attempt: 5 seconds. */
	public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);

	private static final CallOptions DEFAULTS = new CallOptions(DEFAULT_REQUEST_TIMEOUT, DEFAULT_CONNECTION_TIMEOUT,
			DEFAULT_RETRIES, Backoff.exponentialJitter(Duration.ofMillis(100), Duration.ofSeconds(2)), RetryPolicy.safe(),
			SelectOptions.defaults(), List.of(), null);

	public CallOptions {
		Objects.requireNonNull(requestTimeout, "requestTimeout");
		Objects.requireNonNull(connectionTimeout, "connectionTimeout");
		Objects.requireNonNull(backoff, "backoff");
		Objects.requireNonNull(retryPolicy, "retryPolicy");
		Objects.requireNonNull(selectOptions, "selectOptions");
		Arguments.positive("requestTimeout", requestTimeout);
		Arguments.positive("connectionTimeout", connectionTimeout);
		Arguments.nonNegative("retries", retries);
		addresses = List.copyOf(addresses);
	}

	/** go-micro's defaults. */
	public static CallOptions defaults() {
		return DEFAULTS;
	}

	/** A builder starting from these options. */
	public Builder toBuilder() {
		return new Builder(this);
	}

	/** A builder starting from the defaults. */
	public static Builder builder() {
		return new Builder(DEFAULTS);
	}

	/** Builds {@link CallOptions}. */
	public static final class Builder {

		private Duration requestTimeout;

		private Duration connectionTimeout;

		private int retries;

		private Backoff backoff;

		private RetryPolicy retryPolicy;

		private SelectOptions selectOptions;

		private List<String> addresses;

		private @Nullable Boolean idempotent;

		private Builder(CallOptions from) {
			this.requestTimeout = from.requestTimeout;
			this.connectionTimeout = from.connectionTimeout;
			this.retries = from.retries;
			this.backoff = from.backoff;
			this.retryPolicy = from.retryPolicy;
			this.selectOptions = from.selectOptions;
			this.addresses = from.addresses;
			this.idempotent = from.idempotent;
		}

		public Builder requestTimeout(Duration requestTimeout) {
			this.requestTimeout = requestTimeout;
			return this;
		}

		public Builder connectionTimeout(Duration connectionTimeout) {
			this.connectionTimeout = connectionTimeout;
			return this;
		}

		public Builder retries(int retries) {
			this.retries = retries;
			return this;
		}

		public Builder backoff(Backoff backoff) {
			this.backoff = backoff;
			return this;
		}

		public Builder retryPolicy(RetryPolicy retryPolicy) {
			this.retryPolicy = retryPolicy;
			return this;
		}

		public Builder selectOptions(SelectOptions selectOptions) {
			this.selectOptions = selectOptions;
			return this;
		}

		public Builder addresses(List<String> addresses) {
			this.addresses = addresses;
			return this;
		}

		/** Whether the endpoint may be repeated; {@code null} (default) to go by its registry metadata. */
		public Builder idempotent(@Nullable Boolean idempotent) {
			this.idempotent = idempotent;
			return this;
		}

		public CallOptions build() {
			return new CallOptions(this.requestTimeout, this.connectionTimeout, this.retries, this.backoff,
					this.retryPolicy, this.selectOptions, this.addresses, this.idempotent);
		}

	}

}
