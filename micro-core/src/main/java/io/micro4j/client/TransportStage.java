package io.micro4j.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import io.micro4j.codec.Codec;
import io.micro4j.codec.CodecException;
import io.micro4j.codec.Codecs;
import io.micro4j.errors.MicroException;
import io.micro4j.metadata.Deadline;
import io.micro4j.metadata.Metadata;
import io.micro4j.registry.Node;
import io.micro4j.transport.TransportClient;
import io.micro4j.transport.TransportRequest;
import io.micro4j.transport.TransportResponse;

/**
 * The end of the chain: encodes the context's request with its content type's codec and sends it, with the
 * context's metadata and go-micro's headers ({@code Content-Type}, {@code Accept}, {@code Micro-Service},
 * {@code Micro-Endpoint}, {@code Micro-Method}, {@code Micro-Id}, {@code Timeout} in ns), to the chosen node within
 * the attempt's time: the per-attempt timeout or what is left of the deadline, whichever is shorter.
 */
final class TransportStage implements CallFunction {

	private final TransportClient transport;

	private final Map<String, TransportClient> protocolTransports;

	private final Codecs codecs;

	private final AtomicLong sequence = new AtomicLong();

	TransportStage(TransportClient transport, Map<String, TransportClient> protocolTransports, Codecs codecs) {
		this.transport = transport;
		this.protocolTransports = Map.copyOf(protocolTransports);
		this.codecs = codecs;
	}

	/** The transport of {@code node}: the one registered for its {@code protocol}, else the default one. */
	private TransportClient transport(Node node) {
		if (this.protocolTransports.isEmpty()) {
			return this.transport;
		}
		String protocol = node.metadata().get("protocol");
		TransportClient special = (protocol != null) ? this.protocolTransports.get(protocol) : null;
		return (special != null) ? special : this.transport;
	}

	/** Whether {@code node} can be reached by a stream: its protocol's transport carries streams. */
	boolean carriesStreams(Node node) {
		return transport(node).supportsStreams();
	}

	@Override
	public CompletableFuture<Response> call(ClientRequestContext context) {
		Node node = context.node()
			.orElseThrow(() -> new IllegalStateException("no node chosen for " + context + " (selection stage missing)"));
		Request request = context.request();
		Codec codec = codec(this.codecs, request);
		long attemptNanos = Math.min(context.options().connectionTimeout().toNanos(),
				context.deadline().remainingNanos());
		Duration timeout = Duration.ofNanos(Math.max(1, attemptNanos));
		if (context.isStream()) {
			return open(context, node, codec, timeout);
		}
		byte[] body = context.encode(codec);
		Metadata.Builder headers = headers(context, codec).put("Timeout", Long.toString(timeout.toNanos()));
		return transport(node).send(node, new TransportRequest(headers.build(), body), timeout)
			.thenApply(TransportStage::toResponse);
	}

	private Metadata.Builder headers(ClientRequestContext context, Codec codec) {
		Request request = context.request();
		Map<String, String> metadata = context.metadataMap();
		Metadata.Builder headers = Metadata.builder();
		metadata.forEach(headers::put);
		return headers.put("Content-Type", codec.contentType())
			.put("Accept", codec.contentType())
			.put("Micro-Service", request.service())
			.put("Micro-Endpoint", request.endpoint())
			.put("Micro-Method", request.endpoint())
			.put("Micro-Id", Long.toString(this.sequence.getAndIncrement()));
	}

	/** Opens the stream of a {@link Client#stream} call; the request's body is not sent (messages are). */
	private CompletableFuture<Response> open(ClientRequestContext context, Node node, Codec codec, Duration timeout) {
		TransportClient transport = transport(node);
		if (!transport.supportsStreams()) {
			return CompletableFuture.failedFuture(new MicroException(DefaultClient.CLIENT_ID, 500, String.format(
					"cannot stream to node %s of %s: its protocol %s carries no streams (gRPC nodes do)", node.id(),
					context.service(), node.metadata().getOrDefault("protocol", "mucp"))));
		}
		Deadline life = context.streamDeadline();
		Metadata.Builder headers = headers(context, codec);
		if (life != null) {
			headers.put("Timeout", Long.toString(Math.max(1, life.remainingNanos())));
		}
		return transport.openStream(node, new TransportRequest(headers.build(), new byte[0]), timeout, life)
			.thenApply((stream) -> {
				context.openedStream(stream);
				return new Response(Metadata.empty(), new byte[0]);
			});
	}

	static Codec codec(Codecs codecs, Request request) {
		String contentType = request.contentType();
		if (contentType == null) {
			return codecs.defaultCodec();
		}
		return codecs.forContentType(contentType)
			.orElseThrow(() -> new CodecException(500, "unsupported content type: " + contentType));
	}

	private static Response toResponse(TransportResponse response) {
		String error = response.headers().getOrNull("Micro-Error");
		if (error != null && !error.isEmpty()) {
			throw MicroException.parse(error);
		}
		if (response.status() != 200) {
			String text = new String(response.body(), StandardCharsets.UTF_8).trim();
			MicroException parsed = MicroException.parse(text);
			throw new MicroException(parsed.id().isEmpty() ? "go.micro.client.transport" : parsed.id(),
					response.status(), parsed.detail().isEmpty() ? "HTTP status " + response.status() : parsed.detail());
		}
		return new Response(response.headers(), response.body());
	}

}
