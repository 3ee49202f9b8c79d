package io.micro4j.spring.boot.autoconfigure.integration;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.grpc.BindableService;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.micro4j.grpc.Marshallers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.client.GrpcChannelFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bidirectional stream between two Spring applications through {@code micro:///} discovery: 10,000 messages of
 * 4 KiB echoed in order with the sender held back by flow control, and a stream whose server node stops ends with a
 * status instead of hanging.
 */
class SpringGrpcStreamingIntegrationTests {

	static final int MESSAGE_SIZE = 4096;

	static final MethodDescriptor<byte[], byte[]> ECHO = MethodDescriptor.<byte[], byte[]>newBuilder()
		.setType(MethodDescriptor.MethodType.BIDI_STREAMING)
		.setFullMethodName("stream.Echo/Chat")
		.setRequestMarshaller(Marshallers.bytes())
		.setResponseMarshaller(Marshallers.bytes())
		.build();

	private final MicroApps apps = new MicroApps();

	@AfterEach
	void closeAll() {
		this.apps.close();
	}

	private ConfigurableApplicationContext echoNode() {
		return this.apps.start(EchoApp.class, "spring.application.name=stream", "micro.server.enabled=false",
				"spring.grpc.server.port=0", "spring.grpc.server.address=127.0.0.1",
				"spring.grpc.server.shutdown.grace-period=1s");
	}

	private ManagedChannel channel() {
		return this.apps.start(ClientApp.class, "micro.server.enabled=false",
				"spring.grpc.client.channel.stream.target=micro:///stream")
			.getBean(GrpcChannelFactory.class)
			.createChannel("stream");
	}

	@Test
	void tenThousandMessagesGoBothWaysInOrderWithTheSenderHeldBackByFlowControl() throws Exception {
		echoNode();
		ManagedChannel channel = channel();
		int total = 10_000;
		AtomicInteger sent = new AtomicInteger();
		AtomicInteger received = new AtomicInteger();
		AtomicLong maxOutstanding = new AtomicLong();
		AtomicInteger outOfOrder = new AtomicInteger();
		AtomicInteger heldBack = new AtomicInteger();
		CompletableFuture<Status> done = new CompletableFuture<>();
		ClientCalls.asyncBidiStreamingCall(channel.newCall(ECHO, io.grpc.CallOptions.DEFAULT
			.withDeadlineAfter(60, TimeUnit.SECONDS)), new ClientResponseObserver<byte[], byte[]>() {

				@Override
				public void beforeStart(ClientCallStreamObserver<byte[]> requests) {
					requests.setOnReadyHandler(() -> {
						while (requests.isReady() && sent.get() < total) {
							int n = sent.getAndIncrement();
							requests.onNext(message(n));
							maxOutstanding.accumulateAndGet(n + 1 - received.get(), Math::max);
						}
						if (sent.get() < total) {
							heldBack.incrementAndGet();
						}
						if (sent.get() == total && sent.compareAndSet(total, total + 1)) {
							requests.onCompleted();
						}
					});
				}

				@Override
				public void onNext(byte[] echo) {
					int n = received.getAndIncrement();
					if (number(echo) != n) {
						outOfOrder.incrementAndGet();
					}
				}

				@Override
				public void onError(Throwable error) {
					done.complete(Status.fromThrowable(error));
				}

				@Override
				public void onCompleted() {
					done.complete(Status.OK);
				}

			});

		Status status = done.get(60, TimeUnit.SECONDS);

		System.out.printf("bidi stream: %d messages of %d bytes each way, at most %d unanswered, sender held back %d times%n",
				received.get(), MESSAGE_SIZE, maxOutstanding.get(), heldBack.get());
		assertThat(status.getCode()).isEqualTo(Status.Code.OK);
		assertThat(received.get()).isEqualTo(total);
		assertThat(outOfOrder.get()).isZero();
		// flow control: the sender waited for the transport again and again, and what was sent but not yet echoed
		// stayed bounded by the HTTP/2 windows, well below the 40 MiB of the stream
		assertThat(heldBack.get()).isPositive();
		assertThat(maxOutstanding.get()).isLessThan(total / 2);
	}

	@Test
	void whenTheServerNodeStopsAnOpenStreamEndsWithAStatusNotAHang() throws Exception {
		ConfigurableApplicationContext node = echoNode();
		ManagedChannel channel = channel();
		CountDownLatch echoed = new CountDownLatch(1);
		CompletableFuture<Status> done = new CompletableFuture<>();
		ClientCall<byte[], byte[]> call = channel.newCall(ECHO, io.grpc.CallOptions.DEFAULT);
		StreamObserver<byte[]> requests = ClientCalls.asyncBidiStreamingCall(call, new StreamObserver<byte[]>() {

			@Override
			public void onNext(byte[] value) {
				echoed.countDown();
			}

			@Override
			public void onError(Throwable error) {
				done.complete(Status.fromThrowable(error));
			}

			@Override
			public void onCompleted() {
				done.complete(Status.OK);
			}

		});
		requests.onNext(message(0));
		assertThat(echoed.await(10, TimeUnit.SECONDS)).isTrue();

		long start = System.nanoTime();
		node.close();
		Status status = done.get(15, TimeUnit.SECONDS);

		assertThat(status.getCode()).isIn(Status.Code.UNAVAILABLE, Status.Code.CANCELLED);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
	}

	static byte[] message(int n) {
		byte[] bytes = new byte[MESSAGE_SIZE];
		bytes[0] = (byte) (n >>> 24);
		bytes[1] = (byte) (n >>> 16);
		bytes[2] = (byte) (n >>> 8);
		bytes[3] = (byte) n;
		return bytes;
	}

	static int number(byte[] bytes) {
		return ((bytes[0] & 0xFF) << 24) | ((bytes[1] & 0xFF) << 16) | ((bytes[2] & 0xFF) << 8) | (bytes[3] & 0xFF);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class EchoApp {

		@Bean
		BindableService echo() {
			return () -> ServerServiceDefinition.builder("stream.Echo")
				.addMethod(ECHO, ServerCalls.asyncBidiStreamingCall((responses) -> new StreamObserver<byte[]>() {

					@Override
					public void onNext(byte[] value) {
						responses.onNext(value);
					}

					@Override
					public void onError(Throwable error) {
					}

					@Override
					public void onCompleted() {
						responses.onCompleted();
					}

				}))
				.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class ClientApp {

	}

}
