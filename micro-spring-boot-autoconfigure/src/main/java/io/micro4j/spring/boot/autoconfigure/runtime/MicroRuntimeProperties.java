package io.micro4j.spring.boot.autoconfigure.runtime;

import java.time.Duration;

import io.micro4j.runtime.MicroRuntime;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the shared threads ({@code micro.runtime.*}): one event loop group for every transport and the HTTP
 * broker, bounded handler and callback executors, one timer.
 */
@ConfigurationProperties("micro.runtime")
public class MicroRuntimeProperties {

	/**
	 * Event loop threads shared by the transport server, the transport client and the HTTP broker; by default the
	 * number of processors.
	 */
	private @Nullable Integer ioThreads;

	/**
	 * Threads that run handlers and subscribers (unless micro.server.handler-threads gives the server its own pool);
	 * 64 by default (created only when calls find the others busy).
	 */
	private @Nullable Integer handlerThreads;

	/**
	 * Calls that may wait for a handler thread; beyond that a call is rejected.
	 */
	private int handlerQueueSize = MicroRuntime.DEFAULT_HANDLER_QUEUE_SIZE;

	/**
	 * Threads that complete asynchronous client calls; by default the number of processors, at least 2.
	 */
	private @Nullable Integer callbackThreads;

	/**
	 * Completions that may wait for a callback thread.
	 */
	private int callbackQueueSize = MicroRuntime.DEFAULT_CALLBACK_QUEUE_SIZE;

	/**
	 * How long closing waits for each group of threads to end.
	 */
	private Duration shutdownTimeout = MicroRuntime.DEFAULT_SHUTDOWN_TIMEOUT;

	public @Nullable Integer getIoThreads() {
		return this.ioThreads;
	}

	public void setIoThreads(@Nullable Integer ioThreads) {
		this.ioThreads = ioThreads;
	}

	public @Nullable Integer getHandlerThreads() {
		return this.handlerThreads;
	}

	public void setHandlerThreads(@Nullable Integer handlerThreads) {
		this.handlerThreads = handlerThreads;
	}

	public int getHandlerQueueSize() {
		return this.handlerQueueSize;
	}

	public void setHandlerQueueSize(int handlerQueueSize) {
		this.handlerQueueSize = handlerQueueSize;
	}

	public @Nullable Integer getCallbackThreads() {
		return this.callbackThreads;
	}

	public void setCallbackThreads(@Nullable Integer callbackThreads) {
		this.callbackThreads = callbackThreads;
	}

	public int getCallbackQueueSize() {
		return this.callbackQueueSize;
	}

	public void setCallbackQueueSize(int callbackQueueSize) {
		this.callbackQueueSize = callbackQueueSize;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

}
