package io.micro4j.transport.http.internal;

import java.util.concurrent.TimeUnit;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectionPoolTests {

	@Test
	void whenBorrowingThenTheMostRecentlyReleasedOpenConnectionComesFirst() {
		ConnectionPool pool = new ConnectionPool(10, TimeUnit.MINUTES.toNanos(1));
		EmbeddedChannel older = new EmbeddedChannel();
		EmbeddedChannel newer = new EmbeddedChannel();
		EmbeddedChannel closed = new EmbeddedChannel();
		pool.release("a:1", older);
		pool.release("a:1", newer);
		pool.release("a:1", closed);
		closed.close();

		assertThat(pool.borrow("a:1")).isSameAs(newer);
		assertThat(pool.borrow("a:1")).isSameAs(older);
		assertThat(pool.borrow("a:1")).isNull();
		assertThat(pool.borrow("b:1")).isNull();
	}

	@Test
	void whenPoolIsFullThenReleasedConnectionIsClosed() {
		ConnectionPool pool = new ConnectionPool(1, TimeUnit.MINUTES.toNanos(1));
		EmbeddedChannel kept = new EmbeddedChannel();
		EmbeddedChannel extra = new EmbeddedChannel();
		pool.release("a:1", kept);
		pool.release("a:1", extra);

		assertThat(extra.isOpen()).isFalse();
		assertThat(pool.idleCount("a:1")).isEqualTo(1);
	}

	@Test
	void whenIdleLongerThanTtlThenSweepAndBorrowCloseIt() {
		ConnectionPool pool = new ConnectionPool(10, 0);
		EmbeddedChannel swept = new EmbeddedChannel();
		pool.release("a:1", swept);
		pool.sweep();
		assertThat(swept.isOpen()).isFalse();

		EmbeddedChannel borrowed = new EmbeddedChannel();
		pool.release("a:1", borrowed);
		assertThat(pool.borrow("a:1")).isNull();
		assertThat(borrowed.isOpen()).isFalse();
	}

	@Test
	void whenClosedThenIdleAndLaterReleasedConnectionsAreClosed() {
		ConnectionPool pool = new ConnectionPool(10, TimeUnit.MINUTES.toNanos(1));
		EmbeddedChannel idle = new EmbeddedChannel();
		pool.release("a:1", idle);
		pool.closeAll();
		EmbeddedChannel late = new EmbeddedChannel();
		pool.release("a:1", late);

		assertThat(idle.isOpen()).isFalse();
		assertThat(late.isOpen()).isFalse();
		assertThat(pool.idleCount("a:1")).isZero();
	}

}
