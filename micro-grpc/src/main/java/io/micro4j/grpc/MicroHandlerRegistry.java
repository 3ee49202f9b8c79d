package io.micro4j.grpc;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Grpc;
import io.grpc.HandlerRegistry;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.Status;
import io.micro4j.errors.FailureClassifier;
import io.micro4j.errors.MicroException;
import io.micro4j.transport.TransportHandler;
import io.micro4j.transport.TransportRequest;
import io.micro4j.transport.TransportResponse;
import org.jspecify.annotations.Nullable;

/**
 * Serves every gRPC method a server has no service for by passing it to the micro server's {@link TransportHandler}
 * as a mucp request: go-micro's gRPC server routing ({@code /<anything.>Handler/Method} reaches
 * {@code Handler.Method}), content types, deadline and metadata, and its error wire on the way back.
 */
final class MicroHandlerRegistry extends HandlerRegistry {

	static final Metadata.Key<String> CONTENT_TYPE = Metadata.Key.of("content-type", Metadata.ASCII_STRING_MARSHALLER);

	static final Metadata.Key<String> X_CONTENT_TYPE = Metadata.Key.of("x-content-type",
			Metadata.ASCII_STRING_MARSHALLER);

	static final Metadata.Key<String> TIMEOUT = Metadata.Key.of("timeout", Metadata.ASCII_STRING_MARSHALLER);

	private final TransportHandler handler;

	MicroHandlerRegistry(TransportHandler handler) {
		this.handler = handler;
	}

	@Override
	public @Nullable ServerMethodDefinition<?, ?> lookupMethod(String methodName, @Nullable String authority) {
		int slash = methodName.lastIndexOf('/');
		if (slash <= 0 || slash == methodName.length() - 1) {
			return null;
		}
		String servicePart = methodName.substring(0, slash);
		String handlerName = servicePart.substring(servicePart.lastIndexOf('.') + 1);
		if (handlerName.isEmpty()) {
			return null;
		}
		String endpoint = handlerName + "." + methodName.substring(slash + 1);
		int dot = servicePart.lastIndexOf('.');
		String service = (dot > 0) ? servicePart.substring(0, dot) : "";
		boolean stream = this.handler.isStream(endpoint);
		MethodDescriptor<byte[], byte[]> method = MethodDescriptor.<byte[], byte[]>newBuilder()
			.setType(stream ? MethodDescriptor.MethodType.BIDI_STREAMING : MethodDescriptor.MethodType.UNARY)
			.setFullMethodName(methodName)
			.setRequestMarshaller(Marshallers.bytes())
			.setResponseMarshaller(Marshallers.bytes())
			.build();
		return ServerMethodDefinition.create(method, stream ? new StreamHandler(this.handler, service, endpoint)
				: new UnaryHandler(this.handler, service, endpoint));
	}

	/** The micro content type of a gRPC one: {@code application/grpc+json} is JSON, plain and {@code +proto} protobuf. */
	static String microContentType(@Nullable String grpcContentType) {
		if (grpcContentType == null) {
			return "application/protobuf";
		}
		String type = grpcContentType.toLowerCase(Locale.ROOT);
		int semicolon = type.indexOf(';');
		if (semicolon >= 0) {
			type = type.substring(0, semicolon).trim();
		}
		if (!type.startsWith("application/grpc+")) {
			return "application/protobuf";
		}
		String subtype = type.substring("application/grpc+".length());
		return switch (subtype) {
			case "proto", "protobuf" -> "application/protobuf";
			case "json" -> "application/json";
			case "bytes" -> "application/octet-stream";
			default -> "application/" + subtype;
		};
	}

	/** One unary call: the request message in, the handler's answer or error out. */
	static final class UnaryHandler implements ServerCallHandler<byte[], byte[]> {

		private final TransportHandler handler;

		private final String service;

		private final String endpoint;

		UnaryHandler(TransportHandler handler, String service, String endpoint) {
			this.handler = handler;
			this.service = service;
			this.endpoint = endpoint;
		}

		@Override
		public ServerCall.Listener<byte[]> startCall(ServerCall<byte[], byte[]> call, Metadata headers) {
			Deadline deadline = Context.current().getDeadline();
			call.request(2);
			return new ServerCall.Listener<>() {

				private final AtomicBoolean closed = new AtomicBoolean();

				private byte @Nullable [] message;

				private @Nullable CompletableFuture<TransportResponse> response;

				@Override
				public void onMessage(byte[] received) {
					if (this.message != null) {
						close(call, this.closed, Status.INTERNAL.withDescription(
								"too many request messages for unary endpoint " + UnaryHandler.this.endpoint),
								new Metadata());
						return;
					}
					this.message = received;
				}

				@Override
				public void onHalfClose() {
					byte[] body = this.message;
					if (this.closed.get()) {
						return;
					}
					if (body == null) {
						close(call, this.closed, Status.INTERNAL.withDescription("no request message"), new Metadata());
						return;
					}
					TransportRequest request = new TransportRequest(
							microHeaders(headers, deadline, UnaryHandler.this.service, UnaryHandler.this.endpoint), body);
					InetSocketAddress local = address(call.getAttributes().get(Grpc.TRANSPORT_ATTR_LOCAL_ADDR));
					InetSocketAddress remote = address(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
					CompletableFuture<TransportResponse> future;
					try {
						future = UnaryHandler.this.handler.handle(request, local, remote);
					}
					catch (RuntimeException ex) {
						future = CompletableFuture.failedFuture(ex);
					}
					this.response = future;
					future.whenComplete((answer, error) -> answer(call, this.closed, answer, error,
							UnaryHandler.this.endpoint, false));
				}

				@Override
				public void onCancel() {
					this.closed.set(true);
					CompletableFuture<TransportResponse> current = this.response;
					if (current != null) {
						current.cancel(false);
					}
				}

			};
		}

	}

	/** go-micro's call headers of a gRPC request: its metadata, deadline, content type and endpoint. */
	static io.micro4j.metadata.Metadata microHeaders(Metadata headers, @Nullable Deadline deadline, String service,
			String endpoint) {
		io.micro4j.metadata.Metadata.Builder builder = io.micro4j.metadata.Metadata.builder();
		for (String key : headers.keys()) {
			if (key.endsWith(Metadata.BINARY_HEADER_SUFFIX) || isConsumed(key)) {
				continue;
			}
			String value = headers.get(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
			if (value != null) {
				builder.put(io.micro4j.metadata.Metadata.canonicalKey(key), value);
			}
		}
		long timeoutNanos = Long.MAX_VALUE;
		if (deadline != null) {
			timeoutNanos = Math.max(1, deadline.timeRemaining(TimeUnit.NANOSECONDS));
		}
		String timeout = headers.get(TIMEOUT);
		if (timeout != null) {
			try {
				long asked = Long.parseLong(timeout.trim());
				if (asked > 0) {
					timeoutNanos = Math.min(timeoutNanos, asked);
				}
			}
			catch (NumberFormatException ex) {
				// go-micro ignores a timeout it cannot parse
			}
		}
		if (timeoutNanos != Long.MAX_VALUE) {
			builder.put("Timeout", Long.toString(timeoutNanos));
		}
		return builder.put("Content-Type", microContentType(headers.get(CONTENT_TYPE)))
			.put("Micro-Service", service)
			.put("Micro-Endpoint", endpoint)
			.put("Micro-Method", endpoint)
			.build();
	}

	private static boolean isConsumed(String key) {
		return key.startsWith("grpc-") || key.startsWith(":") || key.equals("content-type") || key.equals("te")
				|| key.equals("timeout") || key.equals("x-content-type") || key.startsWith("micro-endpoint")
				|| key.equals("micro-method") || key.equals("micro-service");
	}

	/**
	 * Ends {@code call} with the micro server's answer: its message and OK (a stream's end carries no message), or
	 * its error as go-micro sends it.
	 */
	static void answer(ServerCall<byte[], byte[]> call, AtomicBoolean closed, @Nullable TransportResponse answer,
			@Nullable Throwable error, String endpoint, boolean stream) {
		if (closed.get()) {
			return;
		}
		if (error != null || answer == null) {
			close(call, closed, Status.INTERNAL.withDescription("internal error serving " + endpoint),
					new Metadata());
			return;
		}
		String json = answer.headers().getOrNull("Micro-Error");
		if (answer.status() != 200) {
			String text = new String(answer.body(), StandardCharsets.UTF_8);
			close(call, closed, Status.fromCode(GrpcStatuses.toGrpc(answer.status())).withDescription(text),
					new Metadata());
		}
		else if (json != null) {
			close(call, closed, errorStatus(json, endpoint), errorTrailers(json));
		}
		else if (stream) {
			close(call, closed, Status.OK, new Metadata());
		}
		else if (closed.compareAndSet(false, true)) {
			try {
				call.sendHeaders(new Metadata());
				call.sendMessage(withoutTrailingNewline(answer));
				call.close(Status.OK, new Metadata());
			}
			catch (IllegalStateException ex) {
				// the call was cancelled meanwhile
			}
		}
	}

	private static Status errorStatus(String json, String endpoint) {
		MicroException error = MicroException.parse(json);
		if (isUnknownEndpoint(error)) {
			return Status.UNIMPLEMENTED.withDescription("unknown service " + endpoint);
		}
		return Status.fromCode(GrpcStatuses.toGrpc(error.code())).withDescription(json);
	}

	private static Metadata errorTrailers(String json) {
		Metadata trailers = new Metadata();
		MicroException error = MicroException.parse(json);
		if (!isUnknownEndpoint(error)) {
			trailers.put(GrpcErrors.STATUS_DETAILS,
					GrpcErrors.statusDetails(GrpcStatuses.toGrpc(error.code()).value(), error, json));
		}
		return trailers;
	}

	/**
	 * The body of a successful answer; JSON without the newline the mucp codec ends it with (go-micro's gRPC
	 * server sends none).
	 */
	private static byte[] withoutTrailingNewline(TransportResponse answer) {
		String type = answer.headers().getOrNull("Content-Type");
		return (type != null && type.contains("json")) ? withoutTrailingNewline(answer.body()) : answer.body();
	}

	private static byte[] withoutTrailingNewline(byte[] body) {
		if (body.length > 0 && body[body.length - 1] == '\n') {
			return java.util.Arrays.copyOf(body, body.length - 1);
		}
		return body;
	}

	/** The server's own 404 for an endpoint no handler serves ({@code rpc: can't find ...}). */
	private static boolean isUnknownEndpoint(MicroException error) {
		return error.code() == 404 && FailureClassifier.SERVER_ID.equals(error.id())
				&& error.detail().startsWith("rpc: can't find");
	}

	static void close(ServerCall<byte[], byte[]> call, AtomicBoolean closed, Status status,
			Metadata trailers) {
		if (closed.compareAndSet(false, true)) {
			try {
				synchronized (call) {
					call.close(status, trailers);
				}
			}
			catch (IllegalStateException ex) {
				// the call was cancelled meanwhile
			}
		}
	}

	static InetSocketAddress address(@Nullable Object address) {
		return (address instanceof InetSocketAddress inet) ? inet : new InetSocketAddress(0);
	}

	/**
	 * One streaming call: the messages both ways through a {@link TransportStream} the micro server's stream handler
	 * reads and writes on its worker thread, the handler's end as the status. Messages are asked for one at a time
	 * as the handler receives them, and sent only while the client can take them.
	 */
	static final class StreamHandler implements ServerCallHandler<byte[], byte[]> {

		private final TransportHandler handler;

		private final String service;

		private final String endpoint;

		StreamHandler(TransportHandler handler, String service, String endpoint) {
			this.handler = handler;
			this.service = service;
			this.endpoint = endpoint;
		}

		@Override
		public ServerCall.Listener<byte[]> startCall(ServerCall<byte[], byte[]> call, Metadata headers) {
			Deadline deadline = Context.current().getDeadline();
			io.micro4j.metadata.Metadata head = microHeaders(headers, deadline, this.service, this.endpoint);
			ServerSide stream = new ServerSide(call, "application/json".equals(head.getOrNull("Content-Type")));
			InetSocketAddress local = address(call.getAttributes().get(Grpc.TRANSPORT_ATTR_LOCAL_ADDR));
			InetSocketAddress remote = address(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
			CompletableFuture<TransportResponse> future;
			try {
				future = this.handler.handleStream(new TransportRequest(head, new byte[0]), stream, local, remote);
			}
			catch (RuntimeException ex) {
				future = CompletableFuture.failedFuture(ex);
			}
			future.whenComplete((answer, error) -> {
				answer(call, stream.closed, answer, error, this.endpoint, true);
				stream.state.end(null);
			});
			return new ServerCall.Listener<>() {

				@Override
				public void onMessage(byte[] message) {
					stream.state.offer(message);
				}

				@Override
				public void onHalfClose() {
					stream.state.peerFinished();
				}

				@Override
				public void onReady() {
					stream.state.signal();
				}

				@Override
				public void onCancel() {
					stream.closed.set(true);
					stream.state.end(new MicroException(FailureClassifier.SERVER_ID, 408,
							"stream " + StreamHandler.this.endpoint + " cancelled by the client or its deadline",
							MicroException.statusText(408), null));
				}

				@Override
				public void onComplete() {
					stream.state.end(null);
				}

			};
		}

	}

	/** The server's side of a gRPC stream, as the micro server's handler uses it. */
	static final class ServerSide implements io.micro4j.transport.TransportStream {

		final StreamState state = new StreamState(FailureClassifier.SERVER_ID);

		final AtomicBoolean closed = new AtomicBoolean();

		private final ServerCall<byte[], byte[]> call;

		private final boolean json;

		private boolean headersSent;

		ServerSide(ServerCall<byte[], byte[]> call, boolean json) {
			this.call = call;
			this.json = json;
		}

		@Override
		public void send(byte[] message, java.time.Duration timeout) {
			this.state.awaitWritable(timeout, this.call::isReady);
			synchronized (this.call) {
				if (this.closed.get()) {
					throw new MicroException(FailureClassifier.SERVER_ID, 500, "stream closed: cannot send",
							MicroException.statusText(500), null);
				}
				if (!this.headersSent) {
					this.call.sendHeaders(new Metadata());
					this.headersSent = true;
				}
				this.call.sendMessage(this.json ? withoutTrailingNewline(message) : message);
			}
		}

		@Override
		public byte @Nullable [] receive(java.time.Duration timeout) {
			return this.state.take(timeout, () -> {
				synchronized (this.call) {
					if (!this.closed.get()) {
						this.call.request(1);
					}
				}
			});
		}

		@Override
		public void closeSend() {
			// the server's end of sending is the status the handler's return sends
		}

		@Override
		public void cancel() {
			close(this.call, this.closed, Status.CANCELLED.withDescription("stream cancelled by the server"),
					new Metadata());
			this.state.end(new MicroException(FailureClassifier.SERVER_ID, 499, "stream cancelled",
					MicroException.statusText(499), null));
		}

		@Override
		public void onEnd(java.util.function.Consumer<@Nullable Throwable> callback) {
			this.state.onEnd(callback);
		}

	}

}
