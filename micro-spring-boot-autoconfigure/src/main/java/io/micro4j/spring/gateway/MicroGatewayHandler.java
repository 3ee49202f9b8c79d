package io.micro4j.spring.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import io.micro4j.client.CallOptions;
import io.micro4j.client.Client;
import io.micro4j.client.Request;
import io.micro4j.client.Response;
import io.micro4j.codec.JsonCodec;
import io.micro4j.errors.MicroException;
import io.micro4j.internal.LogSafe;
import io.micro4j.metadata.Metadata;
import io.micro4j.selector.ServiceNotFoundException;
import io.micro4j.spring.client.CallOptionsResolver;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.HttpRequestHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP API gateway, go-micro's {@code micro api} with its rpc handler: {@code POST <path>/{service}/{endpoint}}
 * with a JSON body calls {@code endpoint} of {@code service} through the micro {@link Client} (discovery, selection,
 * retries, deadline, observation) and answers {@code 200} with the service's JSON answer.
 * <p>
 * The endpoint is {@code Greeter.Hello} in {@code /api/greeter/Greeter.Hello}; go-micro's other shapes work too:
 * {@code /api/greeter/greeter/hello} ({@code Greeter.Hello}) and {@code /api/greeter/hello} (the service's last
 * dotted name part, capitalised: {@code Greeter.Hello}). The body is read as JSON whatever its content type (so
 * {@code curl -d} works); an empty body is {@code {}}.
 * <p>
 * A {@code Timeout} header (whole seconds, as go-micro's gateway reads it) sets the call's deadline, at most
 * {@link GatewayOptions#maxTimeout()}; without it the deadline is {@link GatewayOptions#timeout()} or the client's
 * request timeout. The {@link GatewayOptions#forwardHeaders() forwarded headers} ({@code Authorization} by default)
 * travel as call metadata, so the service's own auth rules judge the caller. A call without a caller's
 * {@code Authorization} goes without one: the application's own client token is not lent to anonymous callers
 * (see {@link GatewayCredentialsCallWrapper}).
 * <p>
 * Failures are go-micro's error JSON with the error's code as the HTTP status (a code outside 400–599 answers 500):
 * the service's own errors as it sent them; {@code 408} when the deadline passed; {@code 500} "service x: not found"
 * (id {@code go.micro.client}) for a service the registry does not know <em>or the gateway does not expose</em>,
 * so the answer does not tell which; and, with id {@value #ID}, {@code 404} for a path of another shape, {@code 405}
 * for a method other than POST, {@code 400} for malformed JSON or a bad {@code Timeout}, {@code 413} for a body
 * over {@link GatewayOptions#maxRequestSize()}.
 * <p>
 * The calling thread waits for the answer (a servlet thread; with virtual threads enabled, a virtual one).
 */
public final class MicroGatewayHandler implements HttpRequestHandler {

	/** The id of the errors the gateway answers itself: {@value}, go-micro's API gateway's. */
	public static final String ID = "go.micro.api";

	/**
	 * Metadata marking a call whose HTTP caller sent no {@code Authorization}; {@link GatewayCredentialsCallWrapper}
	 * removes it, and any token another wrapper added, before the call is sent.
	 */
	static final String NO_CALLER_TOKEN = "Micro-Gateway-No-Caller-Token";

	private static final Logger logger = LoggerFactory.getLogger(MicroGatewayHandler.class);

	private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_.\\-]+");

	private static final Pattern ENDPOINT = Pattern.compile("[A-Za-z0-9_]+\\.[A-Za-z0-9_]+");

	private static final Pattern SECONDS = Pattern.compile("\\d{1,9}");

	private static final JsonMapper JSON = JsonMapper.builder()
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.build();

	private final Client client;

	private final CallOptionsResolver callOptions;

	private final GatewayOptions options;

	private final Predicate<String> exposed;

	public MicroGatewayHandler(Client client, CallOptionsResolver callOptions, GatewayOptions options) {
		this.client = Objects.requireNonNull(client, "client");
		this.callOptions = Objects.requireNonNull(callOptions, "callOptions");
		this.options = Objects.requireNonNull(options, "options");
		this.exposed = options.exposedServices();
	}

	/** The options the gateway serves with. */
	public GatewayOptions options() {
		return this.options;
	}

	@Override
	public void handleRequest(HttpServletRequest request, HttpServletResponse response) throws IOException {
		byte[] answer;
		int status = 200;
		try {
			answer = call(request);
		}
		catch (MicroException ex) {
			if (ex.code() == 405) {
				response.setHeader("Allow", "POST");
			}
			status = (ex.code() >= 400 && ex.code() <= 599) ? ex.code() : 500;
			answer = ex.toJson().getBytes(StandardCharsets.UTF_8);
			logger.debug("{} {} answered {}", request.getMethod(), LogSafe.text(request.getRequestURI(), 200), status);
		}
		catch (RuntimeException ex) {
			logger.error("gateway failed on {} {}", request.getMethod(), LogSafe.text(request.getRequestURI(), 200),
					ex);
			status = 500;
			answer = MicroException.internalServerError(ID, "gateway error").toJson().getBytes(StandardCharsets.UTF_8);
		}
		response.setStatus(status);
		response.setContentType("application/json");
		response.setContentLength(answer.length);
		response.getOutputStream().write(answer);
	}

	private byte[] call(HttpServletRequest request) throws IOException {
		Target target = target(request);
		if (!"POST".equals(request.getMethod())) {
			throw MicroException.methodNotAllowed(ID, "method %s not allowed: use POST",
					LogSafe.text(request.getMethod(), 20));
		}
		if (!this.exposed.test(target.service())) {
			throw new ServiceNotFoundException(target.service());
		}
		CallOptions options = this.callOptions.callOptions(target.service());
		options = options.toBuilder().requestTimeout(deadline(request, options)).build();
		Request call = new Request(target.service(), target.endpoint(), body(request), JsonCodec.CONTENT_TYPE,
				metadata(request));
		Response response = this.client.call(call, Response.class, options);
		return withoutTrailingNewline(response.body());
	}

	/** The service and endpoint the path names; a 404 for a path of another shape. */
	private Target target(HttpServletRequest request) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		String prefix = this.options.path() + "/";
		String[] parts = path.startsWith(prefix) ? path.substring(prefix.length()).split("/", -1) : new String[0];
		for (String part : parts) {
			if (!SEGMENT.matcher(part).matches()) {
				parts = new String[0];
				break;
			}
		}
		if (parts.length == 2 && ENDPOINT.matcher(parts[1]).matches()) {
			return new Target(parts[0], parts[1]);
		}
		if (parts.length == 2 && parts[1].indexOf('.') < 0) {
			String service = parts[0];
			return new Target(service, title(service.substring(service.lastIndexOf('.') + 1)) + "." + title(parts[1]));
		}
		if (parts.length == 3 && parts[1].indexOf('.') < 0 && parts[2].indexOf('.') < 0) {
			return new Target(parts[0], title(parts[1]) + "." + title(parts[2]));
		}
		throw MicroException.notFound(ID, "no service endpoint at %q: expected POST %s/{service}/{endpoint}, e.g. "
				+ "%s/greeter/Greeter.Hello", LogSafe.text(path, 200), this.options.path(), this.options.path());
	}

	private static String title(String name) {
		return name.isEmpty() ? name : Character.toUpperCase(name.charAt(0)) + name.substring(1);
	}

	/** The {@code Timeout} header (seconds) up to the maximum, else the configured or the client's timeout. */
	private Duration deadline(HttpServletRequest request, CallOptions options) {
		String header = request.getHeader("Timeout");
		if (header == null || header.isBlank()) {
			return (this.options.timeout() != null) ? this.options.timeout() : options.requestTimeout();
		}
		String value = header.trim();
		if (!SECONDS.matcher(value).matches()) {
			throw MicroException.badRequest(ID, "Timeout: %q (expected: whole seconds, e.g. 5)",
					LogSafe.text(value, 40));
		}
		long seconds = Long.parseLong(value);
		if (seconds == 0) {
			return (this.options.timeout() != null) ? this.options.timeout() : options.requestTimeout();
		}
		Duration asked = Duration.ofSeconds(seconds);
		return (asked.compareTo(this.options.maxTimeout()) > 0) ? this.options.maxTimeout() : asked;
	}

	/** The body as JSON: {@code {}} when empty; a 413 when too large, a 400 when not JSON. */
	private JsonNode body(HttpServletRequest request) throws IOException {
		long max = this.options.maxRequestSize();
		if (request.getContentLengthLong() > max) {
			throw tooLarge(max);
		}
		byte[] data;
		try (InputStream in = request.getInputStream()) {
			data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
		}
		if (data.length > max) {
			throw tooLarge(max);
		}
		if (isBlank(data)) {
			return JSON.createObjectNode();
		}
		try {
			return JSON.readTree(data);
		}
		catch (JacksonException ex) {
			TokenStreamLocation location = ex.getLocation();
			throw MicroException.badRequest(ID, "malformed JSON in the request body%s", (location != null)
					? " at line " + location.getLineNr() + ", column " + location.getColumnNr() : "");
		}
	}

	private static MicroException tooLarge(long max) {
		return MicroException.payloadTooLarge(ID, "request body too large: more than %d bytes", max);
	}

	/** The forwarded headers, plus the no-caller-token mark when the caller sent no {@code Authorization}. */
	private Metadata metadata(HttpServletRequest request) {
		Metadata.Builder metadata = Metadata.builder();
		for (String name : this.options.forwardHeaders()) {
			List<String> values = Collections.list(request.getHeaders(name));
			if (!values.isEmpty()) {
				metadata.put(name, String.join(",", values));
			}
		}
		if (request.getHeader("Authorization") == null
				|| this.options.forwardHeaders().stream().noneMatch("Authorization"::equalsIgnoreCase)) {
			metadata.put(NO_CALLER_TOKEN, "true");
		}
		return metadata.build();
	}

	private static byte[] withoutTrailingNewline(byte[] body) {
		int end = body.length;
		while (end > 0 && (body[end - 1] == '\n' || body[end - 1] == '\r')) {
			end--;
		}
		return (end == body.length) ? body : Arrays.copyOf(body, end);
	}

	private static boolean isBlank(byte[] data) {
		for (byte b : data) {
			if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
				return false;
			}
		}
		return true;
	}

	private record Target(String service, String endpoint) {
	}

}
