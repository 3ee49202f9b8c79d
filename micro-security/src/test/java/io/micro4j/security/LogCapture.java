package io.micro4j.security;

import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Captures what one logger (and its children) logs during each test (micro-core's test {@code LogCapture}, plus the
 * full text of each event with its stack trace, for asserting that a secret appears nowhere).
 */
final class LogCapture implements BeforeEachCallback, AfterEachCallback {

	private final Logger logger;

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	private final Level level;

	private Level previous;

	/** Captures {@code loggerName}, at {@code level} during the test. */
	LogCapture(String loggerName, Level level) {
		this.logger = (Logger) LoggerFactory.getLogger(loggerName);
		this.level = level;
	}

	List<ILoggingEvent> events() {
		synchronized (this.appender.list) {
			return List.copyOf(this.appender.list);
		}
	}

	/** The events as {@code LEVEL message} lines. */
	List<String> lines() {
		return events().stream().map((event) -> event.getLevel() + " " + event.getFormattedMessage()).toList();
	}

	/** Everything logged: message, arguments, MDC and stack traces, one string. */
	String everything() {
		StringBuilder all = new StringBuilder();
		for (ILoggingEvent event : events()) {
			all.append(event.getFormattedMessage()).append('\n');
			if (event.getArgumentArray() != null) {
				for (Object argument : event.getArgumentArray()) {
					all.append(argument).append('\n');
				}
			}
			all.append(event.getMDCPropertyMap()).append('\n');
			if (event.getThrowableProxy() != null) {
				all.append(ThrowableProxyUtil.asString(event.getThrowableProxy())).append('\n');
			}
		}
		return all.toString();
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		this.previous = this.logger.getLevel();
		this.logger.setLevel(this.level);
		this.appender.start();
		this.logger.addAppender(this.appender);
	}

	@Override
	public void afterEach(ExtensionContext context) {
		this.logger.detachAppender(this.appender);
		this.logger.setLevel(this.previous);
	}

}
