package io.micro4j.integration;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.micro4j.errors.MicroException;
import io.micro4j.metadata.CallContext;
import io.micro4j.registry.memory.MemoryRegistry;
import io.micro4j.server.DefaultServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile and malformed requests over real sockets: each gets a clear go-micro error (never a 500 naming a Java
 * class), the next good request on the same connection succeeds, and nothing a client sends reaches the log raw.
 */
class BadInputTests {

	private final MemoryRegistry registry = new MemoryRegistry();

	private final ListAppender<ILoggingEvent> log = new ListAppender<>();

	private final Logger serverLogger = (Logger) LoggerFactory.getLogger(DefaultServer.class);

	private Level previousLevel;

	private DefaultServer server;

	private int port;

	@BeforeEach
	void start() {
		this.previousLevel = this.serverLogger.getLevel();
		this.serverLogger.setLevel(Level.DEBUG);
		this.log.start();
		this.serverLogger.addAppender(this.log);
		this.server = DefaultServer.builder("greeter").address("127.0.0.1:0").registry(this.registry).build();
		this.server.handle(new Calc());
		this.server.start();
		this.port = this.server.boundAddress().orElseThrow().getPort();
		this.log.list.clear();
	}

	@AfterEach
	void stop() {
		this.server.stop();
		this.registry.close();
		this.serverLogger.detachAppender(this.log);
		this.serverLogger.setLevel(this.previousLevel);
	}

	public record Sum(int a, int b) {
	}

	public record Total(int total) {
	}

	public record Named(String name) {
	}

	/** A handler that is also a bean with state: only {@code Add}, {@code Greet} and {@code Fail} are endpoints. */
	public static class Calc {

		final AtomicInteger calls = new AtomicInteger();

		private int scale = 1;

		public Total add(Sum sum) {
			this.calls.incrementAndGet();
			return new Total((sum.a() + sum.b()) * this.scale);
		}

		public Total greet(Named named) {
			return new Total(CallContext.current().deadline().isPresent() ? 1 : 0);
		}

		public Total fail(Named named) {
			if (named.name().startsWith("micro")) {
				throw MicroException.internalServerError("greeter", "cannot greet %s", named.name());
			}
			throw new IllegalStateException("cannot greet " + named.name());
		}

		public void setScale(int scale) {
			this.scale = scale;
		}

		public int getScale() {
			return this.scale;
		}

		public void destroy() {
			this.scale = 0;
		}

	}

	private RawHttp.Reply send(RawHttp http, String endpoint, String body) throws Exception {
		return http.exchange(RawHttp.goMicroRequest(this.port, endpoint, body.getBytes(StandardCharsets.UTF_8)));
	}

	private RawHttp.Reply sendWithTimeout(RawHttp http, String endpoint, String timeout, String body)
			throws Exception {
		String request = new String(RawHttp.goMicroRequest(this.port, endpoint, body.getBytes(StandardCharsets.UTF_8)),
				StandardCharsets.ISO_8859_1).replace("Timeout: 5000000000\r\n", "Timeout: " + timeout + "\r\n");
		return http.exchange(request.getBytes(StandardCharsets.ISO_8859_1));
	}

	private static MicroException error(RawHttp.Reply reply) {
		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.body()).isEmpty();
		return MicroException.parse(reply.header("Micro-Error"));
	}

	private void assertGoodCallSucceeds(RawHttp http) throws Exception {
		RawHttp.Reply good = send(http, "Calc.Add", "{\"a\":1,\"b\":2}");
		assertThat(good.header("Micro-Error")).isNull();
		assertThat(good.body()).isEqualTo("{\"total\":3}\n");
	}

	@Test
	void whenTheBodyIsJsonNullThenTheAnswerIsA400NamingTheProblemAndTheHandlerDoesNotRun() throws Exception {
		try (RawHttp http = new RawHttp(this.port)) {
			MicroException error = error(send(http, "Calc.Add", "null"));
			assertThat(error.code()).isEqualTo(400);
			assertThat(error.id()).isEqualTo("go.micro.server");
			assertThat(error.detail()).isEqualTo("request body for Calc.Add: expected a JSON object, got null");
			assertGoodCallSucceeds(http);
		}
		assertThat(this.server.service().endpoints()).isNotEmpty();
		assertThat(this.log.list).noneMatch((event) -> event.getLevel().isGreaterOrEqual(Level.INFO)
				&& event.getFormattedMessage().contains("rejected"));
	}

	@Test
	void whenTheBodyHasTheWrongShapeThenTheAnswerIsA400SayingWhatWasExpectedWithoutJavaClassNames()
			throws Exception {
		Map<String, String> cases = Map.of(
				"[1,2]", "request body for Calc.Add: json: cannot decode Sum: expected a JSON object, got an array",
				"\"abc\"", "request body for Calc.Add: json: cannot decode Sum: expected a JSON object, got a string",
				"{\"a\":\"abc\",\"b\":1}",
				"request body for Calc.Add: json: cannot decode Sum: field a: expected a JSON number, got a string",
				"{\"a\":[1],\"b\":1}",
				"request body for Calc.Add: json: cannot decode Sum: field a: expected a JSON number, got an array",
				"{\"a\":{},\"b\":1}",
				"request body for Calc.Add: json: cannot decode Sum: field a: expected a JSON number, got an object");
		try (RawHttp http = new RawHttp(this.port)) {
			for (Map.Entry<String, String> bad : cases.entrySet()) {
				MicroException error = error(send(http, "Calc.Add", bad.getKey()));
				assertThat(error.code()).as(bad.getKey()).isEqualTo(400);
				assertThat(error.id()).as(bad.getKey()).isEqualTo("go.micro.codec");
				assertThat(error.detail()).as(bad.getKey()).isEqualTo(bad.getValue());
				assertGoodCallSucceeds(http);
			}
		}
	}

	@Test
	void whenTheBodyIsMalformedOrTheEndpointUnknownThenEachGetsItsCodeAndTheConnectionKeepsServing()
			throws Exception {
		try (RawHttp http = new RawHttp(this.port)) {
			MicroException malformed = error(send(http, "Calc.Add", "{\"a\":1,"));
			assertThat(malformed.code()).isEqualTo(400);
			assertThat(malformed.detail()).startsWith("request body for Calc.Add: json: cannot decode Sum: malformed JSON (")
				.contains("line 1, column");
			assertGoodCallSucceeds(http);
			MicroException garbage = error(send(http, "Calc.Add", "\u0000\u0001nonsense"));
			assertThat(garbage.code()).isEqualTo(400);
			assertGoodCallSucceeds(http);
			MicroException unknown = error(send(http, "Calc.Nope", "{}"));
			assertThat(unknown.code()).isEqualTo(404);
			assertThat(unknown.detail()).isEqualTo("rpc: can't find method Nope");
			assertGoodCallSucceeds(http);
			MicroException malformedName = error(send(http, "Calc", "{}"));
			assertThat(malformedName.code()).isEqualTo(400);
			assertGoodCallSucceeds(http);
		}
		for (ILoggingEvent event : this.log.list) {
			assertThat(event.getLevel()).as(event.getFormattedMessage()).isEqualTo(Level.DEBUG);
		}
	}

	@Test
	void whenMethodsOfTheBeanThatAreNoEndpointsAreCalledThenTheyAreNotFoundAndDoNotRun() throws Exception {
		try (RawHttp http = new RawHttp(this.port)) {
			for (String endpoint : List.of("Calc.SetScale", "Calc.GetScale", "Calc.Destroy", "Calc.HashCode",
					"Calc.ToString", "Calc.Wait", "Calc.GetClass")) {
				MicroException error = error(send(http, endpoint, "5"));
				assertThat(error.code()).as(endpoint).isEqualTo(404);
			}
			assertGoodCallSucceeds(http);
		}
		assertThat(this.server.service().endpoints()).extracting((e) -> e.name())
			.containsExactly("Calc.Add", "Calc.Fail", "Calc.Greet");
	}

	@Test
	void whenTheTimeoutHeaderIsNotANumberOfNanosecondsThenItIsIgnoredAsGoMicroIgnoresIt() throws Exception {
		try (RawHttp http = new RawHttp(this.port)) {
			for (String timeout : List.of("-1", "abc", "99999999999999999999", "18446744073709551615",
					"9223372036854775807", "+5", "1e9", "0", "")) {
				RawHttp.Reply reply = sendWithTimeout(http, "Calc.Add", timeout, "{\"a\":1,\"b\":2}");
				assertThat(reply.header("Micro-Error")).as("Timeout: " + timeout).isNull();
				assertThat(reply.body()).as("Timeout: " + timeout).isEqualTo("{\"total\":3}\n");
			}
			assertThat(sendWithTimeout(http, "Calc.Greet", "abc", "{\"name\":\"x\"}").body())
				.as("no deadline").isEqualTo("{\"total\":0}\n");
			assertThat(sendWithTimeout(http, "Calc.Greet", "5000000000", "{\"name\":\"x\"}").body())
				.as("a deadline").isEqualTo("{\"total\":1}\n");
		}
		assertThat(this.log.list).filteredOn((event) -> event.getFormattedMessage().contains("Timeout header"))
			.hasSize(6)
			.allMatch((event) -> event.getLevel() == Level.DEBUG);
	}

	@Test
	void whenAClientSendsLineBreaksOrMegabytesThenNoLogLineIsForgedOrHuge() throws Exception {
		String forged = "John\r\n12:00:00.000 INFO  [main] forged - payment approved";
		String huge = "x".repeat(3 * 1024 * 1024);
		try (RawHttp http = new RawHttp(this.port)) {
			for (String name : List.of(forged, "micro " + forged, huge, "micro" + huge)) {
				String body = "{\"name\":\"" + name.replace("\r", "\\r").replace("\n", "\\n") + "\"}";
				MicroException error = error(send(http, "Calc.Fail", body));
				assertThat(error.code()).isEqualTo(500);
				assertThat(error.detail().length()).isLessThan(4200);
				assertGoodCallSucceeds(http);
			}
			String longEndpoint = "Calc." + "y".repeat(25 * 1024);
			assertThat(error(send(http, longEndpoint, "{}")).code()).isEqualTo(404);
			assertGoodCallSucceeds(http);
		}
		assertThat(this.log.list).hasSizeGreaterThanOrEqualTo(5);
		for (ILoggingEvent event : this.log.list) {
			assertSafe(event.getFormattedMessage());
			for (IThrowableProxy proxy = event.getThrowableProxy(); proxy != null; proxy = proxy.getCause()) {
				assertSafe(proxy.getMessage());
			}
		}
	}

	private static void assertSafe(String line) {
		if (line == null) {
			return;
		}
		assertThat(line).doesNotContain("\r", "\n");
		assertThat(line.length()).isLessThan(2000);
	}

}
