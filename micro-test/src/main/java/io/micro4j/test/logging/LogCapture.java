package io.micro4j.test.logging;

import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Records what a logger and its children log during each test, at a level of the test's choosing (Logback must be
 * the SLF4J binding). Register it as a field:
 *
 * <pre class="code">
 * &#64;RegisterExtension
 * final LogCapture logs = new LogCapture("io.micro4j", Level.DEBUG);
 * </pre>
 *
 * {@link #lines()} gives {@code LEVEL message} lines; {@link #everything()} the full text of every event (message,
 * arguments, MDC, stack traces with their causes' messages), for asserting that a secret appears nowhere.
 */
public final class LogCapture implements BeforeEachCallback, AfterEachCallback {

	private final Logger logger;

	private final Level level;

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	private @Nullable Level previous;

	/** Captures {@code loggerName} (use {@code "ROOT"} for everything), set to {@code level} during each test. */
	public LogCapture(String loggerName, Level level) {
		this.logger = (Logger) LoggerFactory.getLogger(loggerName);
		this.level = level;
	}

	/** The events so far, oldest first. */
	public List<ILoggingEvent> events() {
		synchronized (this.appender.list) {
			return List.copyOf(this.appender.list);
		}
	}

	/** The events so far as {@code LEVEL formatted-message} lines. */
	public List<String> lines() {
		return events().stream().map((event) -> event.getLevel() + " " + event.getFormattedMessage()).toList();
	}

	/** Every event's formatted message, arguments, MDC and stack trace (causes included), as one text. */
	public String everything() {
		StringBuilder text = new StringBuilder();
		for (ILoggingEvent event : events()) {
			text.append(event.getFormattedMessage()).append('\n');
			Object[] arguments = event.getArgumentArray();
			if (arguments != null) {
				for (Object argument : arguments) {
					text.append(argument).append('\n');
				}
			}
			if (!event.getMDCPropertyMap().isEmpty()) {
				text.append(event.getMDCPropertyMap()).append('\n');
			}
			if (event.getThrowableProxy() != null) {
				text.append(ThrowableProxyUtil.asString(event.getThrowableProxy())).append('\n');
			}
		}
		return text.toString();
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		this.previous = this.logger.getLevel();
		this.logger.setLevel(this.level);
		this.appender.list.clear();
		this.appender.start();
		this.logger.addAppender(this.appender);
	}

	@Override
	public void afterEach(ExtensionContext context) {
		this.logger.detachAppender(this.appender);
		this.logger.setLevel(this.previous);
	}

}
