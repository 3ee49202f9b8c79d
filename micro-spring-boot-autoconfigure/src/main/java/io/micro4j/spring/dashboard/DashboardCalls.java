package io.micro4j.spring.dashboard;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

import io.micro4j.client.CallOptions;
import io.micro4j.client.Client;
import io.micro4j.client.Request;
import io.micro4j.errors.MicroException;
import io.micro4j.metadata.Metadata;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The dashboard's call and publish panels: a JSON body from the page goes through the micro client's whole pipeline
 * (selection, wrappers, retries, observation, the codec of the default content type), bounded by the dashboard's
 * call timeout. What the service answers, or the go-micro error, comes back with the time it took.
 * <p>
 * A body that is not what the panel sends is a 400, thrown; a failed call or publish is a result, not a throw.
 */
public final class DashboardCalls {

	/** The id of the errors the dashboard itself reports. */
	public static final String ERROR_ID = "micro.dashboard";

	private final Client client;

	private final Function<String, CallOptions> callOptions;

	private final JsonMapper mapper;

	private final Duration callTimeout;

	/**
	 * Calls through {@code client} with the options {@code callOptions} gives for each service, the request timeout
	 * cut to {@code callTimeout}.
	 */
	public DashboardCalls(Client client, Function<String, CallOptions> callOptions, JsonMapper mapper,
			Duration callTimeout) {
		this.client = Objects.requireNonNull(client, "client");
		this.callOptions = Objects.requireNonNull(callOptions, "callOptions");
		this.mapper = Objects.requireNonNull(mapper, "mapper");
		this.callTimeout = Objects.requireNonNull(callTimeout, "callTimeout");
	}

	/**
	 * Calls {@code {"service", "endpoint", "request", "timeoutMillis"}}: {@code request} is the body (an empty object
	 * when absent), {@code timeoutMillis} an optional shorter budget.
	 * @throws MicroException 400 when the body is not such an object
	 */
	public CallResult call(byte[] body) {
		JsonNode json = parse(body);
		String service = text(json, "service");
		String endpoint = text(json, "endpoint");
		JsonNode request = json.has("request") ? json.get("request") : JsonNodeFactory.instance.objectNode();
		Duration timeout = this.callTimeout;
		JsonNode millis = json.get("timeoutMillis");
		if (millis != null && !millis.isNull()) {
			if (!millis.isIntegralNumber() || !millis.canConvertToLong() || millis.asLong() <= 0) {
				throw MicroException.badRequest(ERROR_ID, "timeoutMillis: %s (expected: a whole number > 0)", millis);
			}
			timeout = shorter(timeout, Duration.ofMillis(millis.asLong()));
		}
		CallOptions options = bounded(this.callOptions.apply(service), timeout);
		long start = System.nanoTime();
		try {
			JsonNode response = this.client.call(Request.of(service, endpoint, request), JsonNode.class, options);
			return new CallResult(true, service, endpoint, response, null, millisSince(start));
		}
		catch (RuntimeException ex) {
			return new CallResult(false, service, endpoint, null, ErrorView.of(MicroException.from(ERROR_ID, ex)),
					millisSince(start));
		}
	}

	/**
	 * Publishes {@code {"topic", "message"}} ({@code message} an empty object when absent) through the client.
	 * @throws MicroException 400 when the body is not such an object
	 */
	public PublishResult publish(byte[] body) {
		JsonNode json = parse(body);
		String topic = text(json, "topic");
		JsonNode message = json.has("message") ? json.get("message") : JsonNodeFactory.instance.objectNode();
		long start = System.nanoTime();
		try {
			this.client.publish(topic, message, Metadata.empty());
			return new PublishResult(true, topic, null, millisSince(start));
		}
		catch (RuntimeException ex) {
			return new PublishResult(false, topic, ErrorView.of(MicroException.from(ERROR_ID, ex)), millisSince(start));
		}
	}

	private static CallOptions bounded(CallOptions options, Duration timeout) {
		Duration request = shorter(options.requestTimeout(), timeout);
		return options.toBuilder()
			.requestTimeout(request)
			.connectionTimeout(shorter(options.connectionTimeout(), request))
			.build();
	}

	private static Duration shorter(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

	private JsonNode parse(byte[] body) {
		JsonNode json;
		try {
			json = this.mapper.readTree(body);
		}
		catch (JacksonException ex) {
			throw MicroException.badRequest(ERROR_ID, "malformed JSON: %s", ex.getOriginalMessage());
		}
		if (json == null || !json.isObject()) {
			throw MicroException.badRequest(ERROR_ID, "expected a JSON object");
		}
		return json;
	}

	private static String text(JsonNode json, String field) {
		JsonNode value = json.get(field);
		if (value == null || !value.isString() || value.asString().isBlank()) {
			throw MicroException.badRequest(ERROR_ID, "%s: missing (expected: a non-empty string)", field);
		}
		return value.asString().trim();
	}

	private static double millisSince(long start) {
		return Math.round((System.nanoTime() - start) / 10_000.0) / 100.0;
	}

	/**
	 * A go-micro error as JSON: {@code {id, code, detail, status}}.
	 * @param id the error id
	 * @param code the HTTP-style code
	 * @param detail what went wrong
	 * @param status the reason phrase of {@code code}
	 */
	public record ErrorView(String id, int code, String detail, String status) {

		/** The fields of {@code ex}. */
		public static ErrorView of(MicroException ex) {
			return new ErrorView(ex.id(), ex.code(), ex.detail(), ex.status());
		}

	}

	/**
	 * The outcome of a call.
	 * @param ok whether the service answered without error
	 * @param service the service called
	 * @param endpoint the endpoint called
	 * @param response the answer, or {@code null} on error
	 * @param error the go-micro error, or {@code null} when the call succeeded
	 * @param latencyMillis how long the call took, retries included, in milliseconds
	 */
	public record CallResult(boolean ok, String service, String endpoint, @Nullable JsonNode response,
			@Nullable ErrorView error, double latencyMillis) {

	}

	/**
	 * The outcome of a publish.
	 * @param ok whether the broker took the message
	 * @param topic the topic
	 * @param error the error, or {@code null} when the broker took it
	 * @param latencyMillis how long publishing took, in milliseconds
	 */
	public record PublishResult(boolean ok, String topic, @Nullable ErrorView error, double latencyMillis) {

	}

}
