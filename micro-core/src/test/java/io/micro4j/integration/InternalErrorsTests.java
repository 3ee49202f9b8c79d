package io.micro4j.integration;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.micro4j.client.DefaultClient;
import io.micro4j.client.Request;
import io.micro4j.errors.MicroException;
import io.micro4j.registry.RegistryCache;
import io.micro4j.registry.memory.MemoryRegistry;
import io.micro4j.selector.DefaultSelector;
import io.micro4j.server.DefaultServer;
import io.micro4j.testsupport.LogCapture;
import io.micro4j.transport.http.HttpTransportClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Nothing internal leaks: a handler's unexpected exception reaches the caller as a go-micro 500 with a correlation
 * id and no text of the exception; the log has the exception, its stack trace and the same id. A
 * {@link MicroException} goes out as thrown; a server may opt in to exposing messages.
 */
class InternalErrorsTests {

	private static final Pattern CORRELATION = Pattern.compile("correlation id ([0-9a-f-]{36})");

	@RegisterExtension
	final LogCapture log = new LogCapture("io.micro4j.server");

	private final MemoryRegistry registry = new MemoryRegistry();

	private DefaultServer server;

	private RegistryCache cache;

	private DefaultSelector selector;

	private HttpTransportClient transport;

	private DefaultClient client;

	public record Query(String name) {
	}

	public record Answer(String text) {
	}

	public static class Accounts {

		public Answer load(Query query) {
			if (query.name().equals("micro")) {
				throw MicroException.notFound("accounts", "no account %s", query.name());
			}
			throw new IllegalStateException("db password is hunter2");
		}

	}

	private void start(boolean expose) {
		this.server = DefaultServer.builder("accounts")
			.address("127.0.0.1:0")
			.registry(this.registry)
			.exposeExceptionMessages(expose)
			.build();
		this.server.handle(new Accounts());
		this.server.start();
		this.cache = RegistryCache.builder(this.registry).build();
		this.selector = DefaultSelector.builder(this.cache).build();
		this.transport = HttpTransportClient.builder().build();
		this.client = DefaultClient.builder(this.selector, this.transport).build();
	}

	@AfterEach
	void stop() {
		this.client.close();
		this.transport.close();
		this.selector.close();
		this.cache.close();
		this.server.stop();
		this.registry.close();
	}

	private MicroException fail(String name) {
		return org.assertj.core.api.Assertions.catchThrowableOfType(MicroException.class,
				() -> this.client.call(Request.of("accounts", "Accounts.Load", new Query(name)), Answer.class));
	}

	@Test
	void anUnexpectedExceptionGivesA500WithACorrelationIdAndNoneOfItsText() {
		start(false);

		MicroException error = fail("x");

		assertThat(error.code()).isEqualTo(500);
		assertThat(error.id()).isEqualTo("accounts");
		assertThat(error.toJson()).doesNotContain("hunter2").doesNotContain("IllegalStateException");
		Matcher matcher = CORRELATION.matcher(error.detail());
		assertThat(matcher.find()).as("a correlation id in %s", error.detail()).isTrue();
		String id = matcher.group(1);
		List<ILoggingEvent> logged = this.log.events()
			.stream()
			.filter((event) -> event.getFormattedMessage().contains(id))
			.toList();
		assertThat(logged).singleElement().satisfies((event) -> {
			assertThat(event.getFormattedMessage()).contains("Accounts.Load").contains("db password is hunter2");
			assertThat(event.getThrowableProxy()).as("the stack trace").isNotNull();
			assertThat(event.getThrowableProxy().getStackTraceElementProxyArray()).isNotEmpty();
		});
		assertThat(fail("y").detail()).as("a new id per failure").doesNotContain(id);
	}

	@Test
	void aMicroExceptionGoesOutAsThrown() {
		start(false);

		assertThatExceptionOfType(MicroException.class)
			.isThrownBy(() -> this.client.call(Request.of("accounts", "Accounts.Load", new Query("micro")), Answer.class))
			.satisfies((ex) -> {
				assertThat(ex.code()).isEqualTo(404);
				assertThat(ex.detail()).isEqualTo("no account micro");
			});
	}

	@Test
	void aServerMayOptInToExposingExceptionMessages() {
		start(true);

		assertThat(fail("x").detail()).isEqualTo("db password is hunter2");
	}

}
