package io.micro4j.registry.consul.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.micro4j.internal.OutageTracker;
import io.micro4j.registry.RegistryException;
import io.micro4j.transport.http.internal.TlsFailures;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small client of Consul's HTTP API on the JDK's {@link HttpClient}: the calls the registry makes, the ACL token
 * in the {@code X-Consul-Token} header, every call bounded by a timeout (a blocking query by its wait plus Consul's
 * jitter plus the timeout).
 * <p>
 * Every exchange reports its outcome to one {@link OutageTracker}: an agent that cannot be reached, does not answer
 * in time or answers 5xx (no cluster leader) starts an outage; any other answer ends it. This is the one place a
 * process logs a Consul outage.
 */
public final class ConsulHttp {

	/** The header carrying the ACL token. */
	public static final String TOKEN_HEADER = "X-Consul-Token";

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private final HttpClients clients;

	private final URI base;

	private final @Nullable String token;

	private final Duration timeout;

	private final OutageTracker outage;

	/**
	 * A client of the agent at {@code base} ({@code http://host:port} or {@code https://host:port}).
	 * @param clients the HTTP client of each call (its executor's threads should be daemons)
	 * @param outage where the outcome of every exchange is reported
	 */
	public ConsulHttp(URI base, @Nullable String token, Duration timeout, HttpClients clients, OutageTracker outage) {
		this.base = base;
		this.outage = outage;
		this.token = token;
		this.timeout = timeout;
		this.clients = clients;
	}

	/** The agent's URL. */
	public URI base() {
		return this.base;
	}

	/**
	 * {@code PUT path} with a JSON body ({@code null} for none).
	 * @return the response (any status)
	 * @throws RegistryException if Consul cannot be reached or does not answer within the timeout
	 */
	public Response put(String path, @Nullable Object body) {
		String json = (body != null) ? MAPPER.writeValueAsString(body) : "";
		HttpRequest request = request(path, this.timeout).PUT(HttpRequest.BodyPublishers.ofString(json))
			.header("Content-Type", "application/json")
			.build();
		return join(send(request), "PUT " + path);
	}

	/**
	 * {@code GET path}.
	 * @throws RegistryException if Consul cannot be reached or does not answer within the timeout
	 */
	public Response get(String path) {
		return join(send(request(path, this.timeout).GET().build()), "GET " + path);
	}

	/**
	 * A blocking query: {@code GET path?index=index&wait=wait}, answered when the result's index passes
	 * {@code index} or after about {@code wait} (plus Consul's jitter of up to wait/16).
	 */
	public CompletableFuture<Response> blockingGet(String path, long index, Duration wait) {
		String separator = path.contains("?") ? "&" : "?";
		String query = path + separator + "index=" + index + "&wait=" + wait.toMillis() + "ms";
		Duration bound = wait.plus(wait.dividedBy(16)).plus(this.timeout);
		return send(request(query, bound).GET().build());
	}

	/** {@code text} encoded for a URL path segment. */
	public static String segment(String text) {
		return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
	}

	private HttpRequest.Builder request(String path, Duration timeout) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(this.base.resolve(path)).timeout(timeout);
		if (this.token != null) {
			builder.header(TOKEN_HEADER, this.token);
		}
		return builder;
	}

	private CompletableFuture<Response> send(HttpRequest request) {
		return this.clients.get().sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
			.thenApply(response -> new Response(response.statusCode(), response.body(),
					response.headers().firstValue("X-Consul-Index").map(ConsulHttp::index).orElse(0L)))
			.whenComplete(this::report);
	}

	private void report(@Nullable Response response, @Nullable Throwable error) {
		if (response != null && response.status() < 500) {
			this.outage.recovered();
		}
		else if (response != null) {
			this.outage.failed("answered " + response.summary());
		}
		else {
			Throwable cause = (error instanceof CompletionException && error.getCause() != null) ? error.getCause()
					: error;
			if (cause instanceof IOException) {
				this.outage.failed(cause);
			}
		}
	}

	private Response join(CompletableFuture<Response> future, String what) {
		try {
			return future.join();
		}
		catch (CompletionException ex) {
			throw failure(what, ex.getCause());
		}
		catch (java.util.concurrent.CancellationException ex) {
			throw new RegistryException("Consul " + this.base + ": " + what + " was cancelled", ex);
		}
	}

	/** The exception for a failed call {@code what}. */
	public RegistryException failure(String what, @Nullable Throwable cause) {
		Throwable tls = (cause != null) ? TlsFailures.tlsCause(cause) : null;
		String reason;
		if (cause == null) {
			reason = "failed";
		}
		else if (tls != null) {
			reason = "failed: TLS handshake failed: " + TlsFailures.describe(tls, this.base.getAuthority(), true);
		}
		else {
			reason = (cause instanceof java.net.http.HttpTimeoutException) ? "timed out"
					: (cause instanceof IOException) ? "unreachable (" + cause + ")" : cause.toString();
		}
		return new RegistryException("Consul " + this.base + ": " + what + " " + reason, cause);
	}

	private static long index(String value) {
		try {
			return Long.parseLong(value.trim());
		}
		catch (NumberFormatException ex) {
			return 0L;
		}
	}

	/**
	 * An answer of Consul.
	 * @param status the HTTP status
	 * @param body the body as text
	 * @param index the {@code X-Consul-Index} header, 0 when absent
	 */
	public record Response(int status, String body, long index) {

		/** Whether the status is 2xx. */
		public boolean ok() {
			return this.status / 100 == 2;
		}

		/** The body as JSON, empty when it is not JSON. */
		public Optional<JsonNode> json() {
			try {
				return Optional.of(MAPPER.readTree(this.body));
			}
			catch (JacksonException ex) {
				return Optional.empty();
			}
		}

		/** The body shortened for a message. */
		public String summary() {
			String text = this.body.strip();
			return "HTTP " + this.status + ((text.isEmpty()) ? "" : ": " + ((text.length() <= 200) ? text
					: text.substring(0, 197) + "..."));
		}

	}

}
