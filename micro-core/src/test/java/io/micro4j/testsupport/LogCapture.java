package io.micro4j.testsupport;

import java.util.List;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Captures what one logger (and its children) logs during each test: register with
 * {@code @RegisterExtension final LogCapture log = new LogCapture("io.micro4j.server");}.
 */
public final class LogCapture implements BeforeEachCallback, AfterEachCallback {

	private final Logger logger;

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	public LogCapture(String loggerName) {
		this.logger = (Logger) LoggerFactory.getLogger(loggerName);
	}

	/** The captured logger, to log through in tests of logging helpers. */
	public Logger logger() {
		return this.logger;
	}

	/** The events so far, a snapshot. */
	public List<ILoggingEvent> events() {
		synchronized (this.appender.list) {
			return List.copyOf(this.appender.list);
		}
	}

	/** The events so far as {@code LEVEL message} lines. */
	public List<String> lines() {
		return events().stream().map((event) -> event.getLevel() + " " + event.getFormattedMessage()).toList();
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		this.appender.start();
		this.logger.addAppender(this.appender);
	}

	@Override
	public void afterEach(ExtensionContext context) {
		this.logger.detachAppender(this.appender);
	}

}
