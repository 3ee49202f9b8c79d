package io.micro4j.server;

import java.lang.reflect.Type;
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
import io.micro4j.codec.JsonCodec;
import io.micro4j.errors.FailureClassifier;
import io.micro4j.errors.MicroException;
import io.micro4j.internal.JsonShapes;
import io.micro4j.internal.LogSafe;
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
import io.micro4j.transport.TransportStream;
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

	/** The longest {@code Timeout} taken as a deadline: 100 years; a longer one means none. */
	private static final long MAX_TIMEOUT_NANOS = Duration.ofDays(36_500).toNanos();

	/** 2^64 - 1, the largest {@code Timeout} go-micro parses. */
	private static final String MAX_UINT64 = "18446744073709551615";

	/** Characters of an error detail that a log line keeps. */
	private static final int LOGGED_DETAIL_LENGTH = 500;

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

	private final boolean exposeExceptionMessages;

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
		this.exposeExceptionMessages = options.exposeExceptionMessages;
	}

	@Override
	public boolean isStream(String endpoint) {
		DefaultServer.Route route = this.routes.get(endpoint);
		return route != null && route.method().isStream();
	}

	@Override
	public CompletableFuture<TransportResponse> handle(TransportRequest request, InetSocketAddress local,
			InetSocketAddress remote) {
		return dispatch(request, null, local, remote);
	}

	@Override
	public CompletableFuture<TransportResponse> handleStream(TransportRequest head, TransportStream stream,
			InetSocketAddress local, InetSocketAddress remote) {
		return dispatch(head, stream, local, remote);
	}

	/** A call, or a stream when {@code stream} is given: the same routing, admission, deadline and executor. */
	private CompletableFuture<TransportResponse> dispatch(TransportRequest request, @Nullable TransportStream stream,
			InetSocketAddress local, InetSocketAddress remote) {
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
		Deadline deadline = parseTimeout(headers.getOrNull("Timeout"), remote);
		Metadata metadata = headers.toBuilder()
			.put("Local", Addresses.hostPort(local.getAddress(), local.getPort()))
			.put("Remote", Addresses.hostPort(remote.getAddress(), remote.getPort()))
			.build();
		ServerCall call = new ServerCall(route, codec, headers, metadata, deadline, local, remote, request.body(),
				this.replies);
		call.stream = stream;
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
			TransportStream stream = call.stream;
			Map<String, Object> attributes = new ConcurrentHashMap<>(4);
			Object request;
			if (stream == null) {
				request = decode(call);
			}
			else {
				DefaultServerStream serverStream = new DefaultServerStream(
						DefaultServerStream.coded(stream, call.codec, call.deadline), call.metadata, endpoint);
				attributes.put(ServerRequest.STREAM_ATTRIBUTE, serverStream);
				request = firstMessage(call, serverStream);
			}
			ServerRequest serverRequest = new ServerRequest(this.service, endpoint, call.codec.contentType(),
					call.metadata, request, call.deadline, call.local, call.remote, call.cancellation, attributes);
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

	/**
	 * The request object the handler gets: never {@code null}. A body that does not decode, or decodes to nothing
	 * (JSON {@code null}), is a 400 naming the endpoint and the problem.
	 */
	private static Object decode(ServerCall call) {
		String endpoint = call.endpoint();
		Type type = call.route.method().requestType();
		Object request;
		try {
			request = call.codec.decode(call.body, type);
		}
		catch (CodecException ex) {
			if (ex.code() >= 500) {
				throw ex;
			}
			throw rejected(call.remote,
					new CodecException(ex.code(), "request body for " + endpoint + ": " + ex.detail(), ex));
		}
		if (request == null) {
			String expected = call.codec.contentType().equals(JsonCodec.CONTENT_TYPE) ? JsonShapes.expected(type)
					: "a value";
			throw rejected(call.remote, MicroException.badRequest(SERVER_ID, "request body for %s: expected %s, got %s",
					endpoint, expected, isBlank(call.body) ? "an empty body" : "null"));
		}
		return request;
	}

	/**
	 * The request of a server-streaming endpoint ({@code (Request, ServerStream)}): the stream's first message; a
	 * plain {@code Object} for an endpoint that takes only the stream.
	 */
	private static Object firstMessage(ServerCall call, DefaultServerStream stream) {
		if (!call.route.method().hasRequest()) {
			return new Object();
		}
		Object request = stream.receive(call.route.method().requestType());
		if (request == null) {
			throw rejected(call.remote, MicroException.badRequest(SERVER_ID,
					"stream %s: expected a request message, got the end of the stream", call.endpoint()));
		}
		return request;
	}

	private static boolean isBlank(byte[] body) {
		for (byte b : body) {
			if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
				return false;
			}
		}
		return true;
	}

	private void succeed(Observation observation, ServerCallContext context, ServerCall call,
			@Nullable Object value) {
		if (call.isAnswered()) {
			dropLate(observation, context, call, "a result");
			return;
		}
		try {
			// a stream's answers went out as messages: its end carries none
			byte[] body = (call.stream != null) ? new byte[0] : call.codec.encode((value != null) ? value : Map.of());
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
				logger.warn("{} failed: {}", endpoint, LogSafe.text(micro.toJson(), LOGGED_DETAIL_LENGTH));
			}
		}
		else if (this.exposeExceptionMessages) {
			error = MicroException.from(this.service, ex);
			logger.warn("{} threw {}", endpoint, LogSafe.text(ex, LOGGED_DETAIL_LENGTH), LogSafe.throwable(ex));
		}
		else {
			// the caller learns that it failed and how to find it in the log, not what the exception says
			String correlationId = java.util.UUID.randomUUID().toString();
			error = MicroException.internalServerError(this.service, "internal server error (correlation id %s)",
					correlationId);
			logger.warn("{} threw {} (correlation id {})", endpoint, LogSafe.text(ex, LOGGED_DETAIL_LENGTH),
					correlationId, LogSafe.throwable(ex));
		}
		context.setErrorCode(error.code());
		observation.error(error);
		observation.stop();
		if (!call.answer(this.replies.error(call.requestHeaders, endpoint, call.codec.contentType(), error))
				&& logger.isDebugEnabled()) {
			logger.debug("dropped the late error of {} (the caller already got a 408): {}", endpoint,
					LogSafe.text(error.toJson(), LOGGED_DETAIL_LENGTH));
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

	/**
	 * Logs a request the server refused because of bad input, at debug (a flood of bad requests must not flood the
	 * log), escaped and cut ({@link LogSafe}), and returns the error to answer with.
	 */
	private static MicroException rejected(@Nullable Object remote, MicroException error) {
		if (logger.isDebugEnabled()) {
			logger.debug("rejected a request from {}: {}", remote, LogSafe.text(error.toJson(), LOGGED_DETAIL_LENGTH));
		}
		return error;
	}

	/**
	 * The deadline a {@code Timeout} header asks for, as go-micro's server reads it: a decimal count of nanoseconds
	 * ({@code strconv.ParseUint(to, 10, 64)}). Anything else ({@code -1}, {@code abc}, {@code +5}, a number over
	 * 2^64 - 1) is ignored, as go-micro ignores it: the call runs without deadline, and the header is logged at debug.
	 * {@code 0} and values over 100 years mean no deadline too.
	 */
	private static @Nullable Deadline parseTimeout(@Nullable String timeout, InetSocketAddress remote) {
		if (timeout == null || timeout.isEmpty()) {
			return null;
		}
		String value = timeout.trim();
		if (!isUint64(value)) {
			if (logger.isDebugEnabled()) {
				logger.debug("ignored the Timeout header of a request from {}: {} (expected: nanoseconds)", remote,
						LogSafe.text(timeout, 40));
			}
			return null;
		}
		long nanos = Long.parseUnsignedLong(value);
		return (nanos > 0 && nanos <= MAX_TIMEOUT_NANOS) ? Deadline.after(Duration.ofNanos(nanos)) : null;
	}

	/** Whether {@code value} is what Go's {@code strconv.ParseUint(value, 10, 64)} accepts: 1 to 20 digits, below 2^64. */
	private static boolean isUint64(String value) {
		int length = value.length();
		if (length == 0 || length > 20) {
			return false;
		}
		for (int i = 0; i < length; i++) {
			char c = value.charAt(i);
			if (c < '0' || c > '9') {
				return false;
			}
		}
		return length < 20 || value.compareTo(MAX_UINT64) <= 0;
	}

}
