package io.micro4j.transport.http.internal;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;

/**
 * Creating, using and shutting down NIO event loop groups.
 */
public final class EventLoops {

	private EventLoops() {
	}

	/**
	 * A NIO group of {@code threads} threads named {@code name-N-M} (0 threads: Netty's default, twice the
	 * processors).
	 */
	public static EventLoopGroup create(int threads, String name, boolean daemon) {
		return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, daemon),
				NioIoHandler.newFactory());
	}

	/** Whether the calling thread is one of {@code group}'s event loops (where blocking would deadlock). */
	public static boolean inGroup(EventLoopGroup group) {
		for (EventExecutor executor : group) {
			if (executor.inEventLoop()) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Runs {@code task} on {@code executor}: at once when called there, otherwise queued.
	 * @return {@code false} when the executor is shut down and the task will not run
	 */
	public static boolean run(EventExecutor executor, Runnable task) {
		if (executor.inEventLoop()) {
			task.run();
			return true;
		}
		try {
			executor.execute(task);
			return true;
		}
		catch (RejectedExecutionException ex) {
			return false;
		}
	}

	/**
	 * Shuts {@code group} down without a quiet period and, unless called from one of its own threads, waits up to
	 * {@code waitMillis} for its threads to end.
	 */
	public static void shutdown(EventLoopGroup group, long waitMillis) {
		group.shutdownGracefully(0, waitMillis, TimeUnit.MILLISECONDS);
		if (!inGroup(group)) {
			group.terminationFuture().awaitUninterruptibly(waitMillis);
		}
	}

}
