package io.micro4j.server;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

import io.micro4j.codec.Codec;
import io.micro4j.codec.CodecException;
import io.micro4j.codec.Codecs;
import io.micro4j.errors.FailureClassifier;
import io.micro4j.errors.MicroException;
import io.micro4j.metadata.CallContext;
import io.micro4j.metadata.Deadline;
import io.micro4j.metadata.Metadata;
import io.micro4j.observation.DefaultServerCallConvention;
import io.micro4j.observation.MicroObservation;
import io.micro4j.observation.ServerCallContext;
import io.micro4j.observation.ServerCallConvention;
import io.micro4j.transport.TransportHandler;
import io.micro4j.transport.TransportRequest;
import io.micro4j.transport.TransportResponse;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.netty.util.Timer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The call path of a running {@link DefaultServer}, from the transport to the answer: routing, admission
 * ({@link CallLimits}), the deadline timer, the worker executor, the observation, decoding, the handler chain and
 * encoding. See {@link DefaultServer} for the order and the answers.
 */
final class CallDispatcher implements TransportHandler {

	private static final Logger logger = LoggerFactory.getLogger(DefaultServer.class);

	private static final String SERVER_ID = FailureClassifier.SERVER_ID;

	private final String service;

	private final Codecs codecs;

	private final ObservationRegistry observationRegistry;

	private final ServerCallConvention callConvention;

	private final Map<String, DefaultServer.Route> routes;

	private final CallLimits limits;

	private final Replies replies;

	private final ExecutorService executor;

	private final Timer timer;

	private final Runnable idle;

	/**
	 * @param idle run when the last call in flight completes
	 */
	CallDispatcher(ServerOptions options, ServerCallConvention callConvention, Map<String, DefaultServer.Route> routes,
			CallLimits limits, Replies replies, ExecutorService executor, Timer timer, Runnable idle) {
		this.service = options.name;
		this.codecs = options.codecs;
		this.observationRegistry = options.observationRegistry;
		this.callConvention = callConvention;
		this.routes = routes;
		this.limits = limits;
		this.replies = replies;
		this.executor = executor;
		this.timer = timer;
		this.idle = idle;
	}

	@Override
	public CompletableFuture<TransportResponse> handle(TransportRequest request, InetSocketAddress local,
			InetSocketAddress remote) {
		Metadata headers = request.headers();
		String endpoint = headers.getOrNull("Micro-Endpoint");
		if (endpoint == null || endpoint.isEmpty()) {
			endpoint = headers.getOrNull("Micro-Method");
		}
		if (endpoint == null || endpoint.isEmpty()) {
			return CompletableFuture.completedFuture(this.replies.error(headers, "", "", rejected(remote, MicroException
				.badRequest(SERVER_ID, "rpc: request has no Micro-Endpoint header (expected: Handler.Method)"))));
		}
		String contentType = headers.getOrNull("Content-Type");
		DefaultServer.Route route = this.routes.get(endpoint);
		if (route == null) {
			return CompletableFuture.completedFuture(this.replies.error(headers, endpoint, contentType,
					rejected(remote, Replies.unknown(endpoint, this.routes.keySet()))));
		}
		Codec codec = (contentType == null || contentType.isEmpty()) ? this.codecs.defaultCodec()
				: this.codecs.forContentType(contentType).orElse(null);
		if (codec == null) {
			return CompletableFuture.completedFuture(this.replies.error(headers, endpoint, contentType,
					rejected(remote, new MicroException(SERVER_ID, 415, "unsupported Content-Type: " + contentType))));
		}
		MicroException busy = this.limits.tryAcquire(route.limit());
		if (busy != null) {
			logger.debug("refused a call to {} from {}: {}", endpoint, remote, busy.detail());
			return CompletableFuture.completedFuture(this.replies.error(headers, endpoint, codec.contentType(), busy));
		}
		Deadline deadline = parseTimeout(headers.getOrNull("Timeout"));
		Metadata metadata = headers.toBuilder()
			.put("Local", Addresses.hostPort(local.getAddress(), local.getPort()))
			.put("Remote", Addresses.hostPort(remote.getAddress(), remote.getPort()))
			.build();
		ServerCall call = new ServerCall(route, codec, headers, metadata, deadline, local, remote, request.body(),
				this.replies);
		try {
			this.executor.execute(() -> serve(call));
		}
		catch (RejectedExecutionException ex) {
			done(call);
			call.answer(this.replies.error(headers, endpoint, codec.contentType(), MicroException
				.serviceUnavailable(SERVER_ID, "server busy: the handler queue is full (%d calls in flight)",
						this.limits.inFlight())));
			return call.response;
		}
		if (deadline != null) {
			call.armDeadline(this.timer);
		}
		return call.response;
	}

	private void serve(ServerCall call) {
		String endpoint = call.endpoint();
		if (call.isAnswered()) {
			logger.debug("{} expired in the queue; the handler did not run", endpoint);
			done(call);
			return;
		}
		ServerCallContext context = new ServerCallContext(this.service, endpoint, call.metadata);
		Observation observation = MicroObservation.SERVER_CALL.observation(this.callConvention,
				new DefaultServerCallConvention(), () -> context, this.observationRegistry);
		observation.start();
		boolean async = false;
		try (Observation.Scope scope = observation.openScope();
				CallContext.Scope current = CallContext.of(call.metadata, call.deadline, call.cancellation)
					.makeCurrent()) {
			if (call.deadline != null && call.deadline.isExpired()) {
				call.expire();
				throw call.deadlineExceeded();
			}
			HandlerMethod method = call.route.method();
			Object request;
			try {
				request = method.hasRequest() ? call.codec.decode(call.body, method.requestType()) : null;
			}
			catch (CodecException ex) {
				throw rejected(call.remote, ex);
			}
			ServerRequest serverRequest = new ServerRequest(this.service, endpoint, call.codec.contentType(),
					call.metadata, (request != null) ? request : new Object(), call.deadline, call.local, call.remote,
					call.cancellation, new ConcurrentHashMap<>(4));
			Object result = call.route.chain().handle(serverRequest);
			if (result instanceof CompletionStage<?> stage) {
				async = true;
				stage.whenComplete((value, error) -> {
					try {
						if (error != null) {
							Throwable cause = (error instanceof CompletionException && error.getCause() != null)
									? error.getCause() : error;
							fail(observation, context, call, cause);
						}
						else {
							succeed(observation, context, call, value);
						}
					}
					finally {
						done(call);
					}
				});
			}
			else {
				succeed(observation, context, call, result);
			}
		}
		catch (Throwable ex) {
			fail(observation, context, call, ex);
		}
		finally {
			if (!async) {
				done(call);
			}
		}
	}

	private void succeed(Observation observation, ServerCallContext context, ServerCall call,
			@Nullable Object value) {
		if (call.isAnswered()) {
			dropLate(observation, context, call, "a result");
			return;
		}
		try {
			byte[] body = call.codec.encode((value != null) ? value : Map.of());
			if (!call.answer(this.replies.success(call.requestHeaders, call.endpoint(), call.codec.contentType(),
					body))) {
				dropLate(observation, context, call, "a result");
				return;
			}
			observation.stop();
		}
		catch (RuntimeException ex) {
			fail(observation, context, call, ex);
		}
	}

	private void fail(Observation observation, ServerCallContext context, ServerCall call, Throwable ex) {
		String endpoint = call.endpoint();
		if (call.isAnswered()) {
			dropLate(observation, context, call, ex.toString());
			return;
		}
		MicroException error;
		if (ex instanceof MicroException micro) {
			error = micro;
			if (micro.code() >= 500) {
				logger.warn("{} failed: {}", endpoint, micro.toJson());
			}
		}
		else {
			error = MicroException.from(this.service, ex);
			logger.warn("{} threw {}", endpoint, ex.toString(), ex);
		}
		context.setErrorCode(error.code());
		observation.error(error);
		observation.stop();
		if (!call.answer(this.replies.error(call.requestHeaders, endpoint, call.codec.contentType(), error))) {
			logger.debug("dropped the late error of {} (the caller already got a 408): {}", endpoint, error.toJson());
		}
	}

	/** The deadline answered first: record a timeout and drop what the handler produced. */
	private static void dropLate(Observation observation, ServerCallContext context, ServerCall call, String what) {
		logger.debug("dropped the late answer of {} ({}): the caller already got a 408", call.endpoint(), what);
		MicroException timeout = call.deadlineExceeded();
		context.setErrorCode(timeout.code());
		observation.error(timeout);
		observation.stop();
	}

	private void done(ServerCall call) {
		if (this.limits.release(call.route.limit()) == 0) {
			this.idle.run();
		}
	}

	/** Logs a request the server refused because of bad input, once, and returns the error to answer with. */
	private static MicroException rejected(@Nullable Object remote, MicroException error) {
		logger.info("rejected a request from {}: {}", remote, error.toJson());
		return error;
	}

	private static @Nullable Deadline parseTimeout(@Nullable String timeout) {
		if (timeout == null || timeout.isEmpty()) {
			return null;
		}
		try {
			long nanos = Long.parseLong(timeout.trim());
			return (nanos > 0) ? Deadline.after(Duration.ofNanos(nanos)) : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}
