package io.micro4j.grpc;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrame;

/**
 * A bare HTTP/2 cleartext client with prior knowledge ({@code curl --http2-prior-knowledge}), for the requests a
 * go-micro gRPC client sends and grpc-java's cannot ({@code content-type: application/grpc+json}).
 */
final class H2c {

	private H2c() {
	}

	/** What came back: response headers and trailers (merged, names lower case) and the body frames' payloads. */
	record Answer(Map<String, String> headers, byte[] data) {

		/** The first length-prefixed gRPC message of the body, as text. */
		String message() {
			if (this.data.length < 5) {
				return "";
			}
			int length = ByteBuffer.wrap(this.data, 1, 4).getInt();
			return new String(this.data, 5, length, StandardCharsets.UTF_8);
		}

	}

	/** A gRPC frame: no compression, 4-byte length, the payload. */
	static byte[] frame(String payload) {
		byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
		return ByteBuffer.allocate(5 + bytes.length).put((byte) 0).putInt(bytes.length).put(bytes).array();
	}

	static Answer post(int port, String path, Map<String, String> headers, byte[] body) throws Exception {
		EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
		try {
			Channel channel = new Bootstrap().group(group)
				.channel(NioSocketChannel.class)
				.handler(new ChannelInitializer<Channel>() {

					@Override
					protected void initChannel(Channel ch) {
						ch.pipeline()
							.addLast(Http2FrameCodecBuilder.forClient().build(),
									new Http2MultiplexHandler(new SimpleChannelInboundHandler<Object>() {

										@Override
										protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
										}

									}));
					}

				})
				.connect("127.0.0.1", port)
				.sync()
				.channel();
			CompletableFuture<Answer> answer = new CompletableFuture<>();
			Map<String, String> received = new LinkedHashMap<>();
			ByteBuf data = Unpooled.buffer();
			Http2StreamChannel stream = new Http2StreamChannelBootstrap(channel)
				.handler(new SimpleChannelInboundHandler<Http2StreamFrame>() {

					@Override
					protected void channelRead0(ChannelHandlerContext ctx, Http2StreamFrame frame) {
						boolean end = false;
						if (frame instanceof Http2HeadersFrame headersFrame) {
							headersFrame.headers()
								.forEach((entry) -> received.put(entry.getKey().toString(), entry.getValue().toString()));
							end = headersFrame.isEndStream();
						}
						else if (frame instanceof Http2DataFrame dataFrame) {
							data.writeBytes(dataFrame.content());
							end = dataFrame.isEndStream();
						}
						if (end) {
							byte[] bytes = new byte[data.readableBytes()];
							data.readBytes(bytes);
							answer.complete(new Answer(received, bytes));
						}
					}

					@Override
					public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
						answer.completeExceptionally(cause);
					}

				})
				.open()
				.sync()
				.getNow();
			Http2Headers requestHeaders = new DefaultHttp2Headers().method("POST")
				.scheme("http")
				.path(path)
				.authority("127.0.0.1:" + port);
			headers.forEach(requestHeaders::add);
			stream.write(new DefaultHttp2HeadersFrame(requestHeaders));
			stream.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(body), true));
			try {
				return answer.get(10, TimeUnit.SECONDS);
			}
			finally {
				channel.close();
			}
		}
		finally {
			group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
		}
	}

}
