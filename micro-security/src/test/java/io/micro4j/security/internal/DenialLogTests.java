package io.micro4j.security.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

class DenialLogTests {

	@Test
	void whenACallerIsRefusedRepeatedlyThenOneLinePerWindowSaysHowManyWereRefused() {
		Logger logger = (Logger) LoggerFactory.getLogger("test.denials");
		ListAppender<ILoggingEvent> appender = new ListAppender<>();
		appender.start();
		logger.addAppender(appender);
		AtomicLong nanos = new AtomicLong(1_000);
		DenialLog log = new DenialLog(logger, Duration.ofSeconds(60), nanos::get);

		assertThat(log.denied("401", "10.0.0.1", "refused 10.0.0.1")).isTrue();
		for (int i = 0; i < 99; i++) {
			assertThat(log.denied("401", "10.0.0.1", "refused 10.0.0.1")).isFalse();
		}
		assertThat(log.denied("403", "10.0.0.1", "forbidden 10.0.0.1")).isTrue();
		assertThat(log.denied("401", "10.0.0.2", "refused 10.0.0.2")).isTrue();
		nanos.addAndGet(Duration.ofSeconds(61).toNanos());
		assertThat(log.denied("401", "10.0.0.1", "refused 10.0.0.1")).isTrue();

		assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage)
			.containsExactly("refused 10.0.0.1", "forbidden 10.0.0.1", "refused 10.0.0.2",
					"refused 10.0.0.1 (99 more refused from this caller since the last report)");
		logger.detachAppender(appender);
	}

}
