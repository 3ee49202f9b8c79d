package io.micro4j.spring.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

import io.micro4j.errors.MicroException;
import io.micro4j.registry.Registry;
import io.micro4j.registry.Service;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The dashboard's Spring MVC endpoints, under {@code micro.dashboard.path} ({@code /micro} by default):
 * <ul>
 * <li>{@code GET /micro/}: the page; {@code GET /micro/dashboard.js}, {@code /micro/dashboard.css}: its script and
 * style (read from this jar, never from the application's static resources or the network);</li>
 * <li>{@code GET /micro/api/services}: the {@link RegistryView.Overview} (services, topics and subscribers);</li>
 * <li>{@code GET /micro/api/services/{name}}: the {@link RegistryView.ServiceDetail}, 404 for an unknown service;</li>
 * <li>{@code POST /micro/api/call}: a call through the micro client ({@link DashboardCalls#call});</li>
 * <li>{@code POST /micro/api/publish}: a publish through the micro client ({@link DashboardCalls#publish});</li>
 * <li>{@code GET /micro/api/events}: the live updates ({@link DashboardEvents}), {@code text/event-stream}.</li>
 * </ul>
 * The POST endpoints take {@code application/json} only (so a plain cross-site form cannot post to them) and at most
 * {@code micro.dashboard.max-request-size} bytes (413 beyond). Errors are go-micro's JSON
 * {@code {id, code, detail, status}} with the code as the HTTP status.
 */
@RestController
@RequestMapping("${micro.dashboard.path:" + DashboardSettings.DEFAULT_PATH + "}")
public class DashboardController {

	private static final String ASSETS = "io/micro4j/spring/dashboard/";

	private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; "
			+ "object-src 'none'; base-uri 'none'; frame-ancestors 'self'; form-action 'none'";

	private final Registry registry;

	private final DashboardCalls calls;

	private final DashboardEvents events;

	private final DashboardSettings settings;

	private final byte[] page;

	private final byte[] script;

	private final byte[] style;

	/** The endpoints over {@code registry}, calling and publishing with {@code calls}, streaming {@code events}. */
	public DashboardController(Registry registry, DashboardCalls calls, DashboardEvents events,
			DashboardSettings settings) {
		this.registry = Objects.requireNonNull(registry, "registry");
		this.calls = Objects.requireNonNull(calls, "calls");
		this.events = Objects.requireNonNull(events, "events");
		this.settings = Objects.requireNonNull(settings, "settings");
		this.page = asset("index.html");
		this.script = asset("dashboard.js");
		this.style = asset("dashboard.css");
	}

	/** The path without its trailing slash: a redirect to the page. */
	@GetMapping("")
	public ResponseEntity<Void> redirect() {
		String path = this.settings.path();
		return ResponseEntity.status(HttpStatus.FOUND)
			.header(HttpHeaders.LOCATION, path.substring(path.lastIndexOf('/') + 1) + "/")
			.build();
	}

	/** The page, with a same-origin-only content security policy. */
	@GetMapping("/")
	public ResponseEntity<byte[]> page() {
		return asset(this.page, MediaType.TEXT_HTML).header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
			.header("Referrer-Policy", "no-referrer")
			.body(this.page);
	}

	/** The page's script. */
	@GetMapping("/dashboard.js")
	public ResponseEntity<byte[]> script() {
		return asset(this.script, MediaType.parseMediaType("text/javascript")).body(this.script);
	}

	/** The page's style. */
	@GetMapping("/dashboard.css")
	public ResponseEntity<byte[]> style() {
		return asset(this.style, MediaType.parseMediaType("text/css")).body(this.style);
	}

	/**
	 * Every service by name, with the topics and their subscribers.
	 * @throws MicroException the registry's error when it cannot be reached
	 */
	@GetMapping(path = "/api/services", produces = MediaType.APPLICATION_JSON_VALUE)
	public RegistryView.Overview services() {
		return RegistryView.overview(this.registry.name(), this.registry.listServices());
	}

	/**
	 * Every version of service {@code name}, with its nodes and endpoints.
	 * @throws MicroException 404 when no version is registered, or the registry's error
	 */
	@GetMapping(path = "/api/services/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
	public RegistryView.ServiceDetail service(@PathVariable String name) {
		List<Service> versions = this.registry.getService(name);
		if (versions.isEmpty()) {
			throw MicroException.notFound(DashboardCalls.ERROR_ID, "service %q not found", name);
		}
		return new RegistryView.ServiceDetail(name, RegistryView.detail(versions));
	}

	/**
	 * The outcome of a call ({@link DashboardCalls#call}); a failed call is an outcome too.
	 * @throws MicroException 413 beyond the size limit, 400 for a body the panel does not send
	 */
	@PostMapping(path = "/api/call", consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = MediaType.APPLICATION_JSON_VALUE)
	public DashboardCalls.CallResult call(InputStream body,
			@RequestHeader(name = HttpHeaders.CONTENT_LENGTH, required = false) @Nullable Long length) {
		return this.calls.call(read(body, length));
	}

	/**
	 * The outcome of a publish ({@link DashboardCalls#publish}).
	 * @throws MicroException 413 beyond the size limit, 400 for a body the panel does not send
	 */
	@PostMapping(path = "/api/publish", consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = MediaType.APPLICATION_JSON_VALUE)
	public DashboardCalls.PublishResult publish(InputStream body,
			@RequestHeader(name = HttpHeaders.CONTENT_LENGTH, required = false) @Nullable Long length) {
		return this.calls.publish(read(body, length));
	}

	/**
	 * A live-update stream ({@link DashboardEvents#open}).
	 * @throws MicroException 503 when the limit of open streams is reached
	 */
	@GetMapping(path = "/api/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	public SseEmitter events() {
		return this.events.open();
	}

	/** A go-micro error, with its code as the status (500 when it has none). */
	@ExceptionHandler(MicroException.class)
	public ResponseEntity<DashboardCalls.ErrorView> error(MicroException ex) {
		int code = (ex.code() >= 400 && ex.code() <= 599) ? ex.code() : 500;
		return ResponseEntity.status(code)
			.contentType(MediaType.APPLICATION_JSON)
			.body(DashboardCalls.ErrorView.of(ex));
	}

	private byte[] read(InputStream body, @Nullable Long length) {
		long max = this.settings.maxRequestSize();
		if (length != null && length > max) {
			throw tooLarge(length);
		}
		try {
			byte[] bytes = body.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE));
			if (bytes.length > max) {
				throw tooLarge(null);
			}
			return bytes;
		}
		catch (IOException ex) {
			throw MicroException.badRequest(DashboardCalls.ERROR_ID, "cannot read the request: %s", ex.getMessage());
		}
	}

	private MicroException tooLarge(@Nullable Long length) {
		String size = (length != null) ? "request body of " + length + " bytes" : "request body";
		return MicroException.payloadTooLarge(DashboardCalls.ERROR_ID,
				"%s exceeds %d bytes (micro.dashboard.max-request-size)", size, this.settings.maxRequestSize());
	}

	private static ResponseEntity.BodyBuilder asset(byte[] body, MediaType type) {
		return ResponseEntity.ok()
			.contentType(new MediaType(type, StandardCharsets.UTF_8))
			.contentLength(body.length)
			.cacheControl(CacheControl.noCache())
			.header("X-Content-Type-Options", "nosniff");
	}

	private static byte[] asset(String name) {
		try (InputStream in = new ClassPathResource(ASSETS + name, DashboardController.class.getClassLoader())
			.getInputStream()) {
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("dashboard asset " + ASSETS + name + " is missing from the jar", ex);
		}
	}

}
