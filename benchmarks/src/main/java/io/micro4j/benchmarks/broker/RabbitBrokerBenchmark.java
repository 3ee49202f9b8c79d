package io.micro4j.benchmarks.broker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.micro4j.benchmarks.support.Results;
import io.micro4j.broker.Message;
import io.micro4j.broker.SubscribeOptions;
import io.micro4j.broker.Subscription;
import io.micro4j.broker.rabbitmq.RabbitBroker;
import io.micro4j.metadata.Metadata;
import io.micro4j.test.rabbitmq.RabbitMqServer;

/**
 * Publish-to-deliver throughput and latency of {@link RabbitBroker} next to the raw RabbitMQ Java client (the same
 * amqp-client underneath) in the same run, against one isolated RabbitMQ node started from its binary.
 * <p>
 * Both sides send the same go-micro message (headers {@code Content-Type}, {@code Micro-Id}, {@code Micro-Topic}
 * in the AMQP header table, a raw body of {@code --payload} bytes, delivery mode 2) with the same guarantees:
 * every publish waits for its publisher confirm, from {@code --publishers} threads. Two configurations:
 * <ul>
 * <li>{@code auto-ack}: go-micro's default (at most once), a server-named queue, AMQP auto-ack;</li>
 * <li>{@code ack-on-success}: at least once, a durable named queue, prefetch 100, the message acknowledged after
 * the handler returns.</li>
 * </ul>
 * Throughput is messages over the time from the first publish to the last delivery; latency is per message from
 * before the publish call to the handler (the publish time travels in the body). Results go to stdout and to
 * {@code benchmarks/results/rabbitmq-broker.csv}.
 * <p>
 * Arguments (all optional): {@code --messages 50000 --publishers 4 --payload 256 --address amqp://...} (without an
 * address a node is started).
 */
public final class RabbitBrokerBenchmark {

	private static final String EXCHANGE = "micro";

	private RabbitBrokerBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = options(args);
		int messages = Integer.parseInt(options.getOrDefault("messages", "50000"));
		int publishers = Integer.parseInt(options.getOrDefault("publishers", "4"));
		int payload = Integer.parseInt(options.getOrDefault("payload", "256"));
		String address = options.get("address");
		RabbitMqServer server = null;
		if (address == null) {
			server = new RabbitMqServer();
			server.start();
			address = server.amqpUri();
		}
		try {
			List<Result> results = new ArrayList<>();
			for (Mode mode : Mode.values()) {
				// warm-up of both sides, not reported
				rawClient(address, mode, messages / 10, publishers, payload);
				micro(address, mode, messages / 10, publishers, payload);
				results.add(rawClient(address, mode, messages, publishers, payload));
				results.add(micro(address, mode, messages, publishers, payload));
			}
			report(results, messages, publishers, payload);
		}
		finally {
			if (server != null) {
				server.close();
			}
		}
	}

	private static Result micro(String address, Mode mode, int messages, int publishers, int payload)
			throws Exception {
		String topic = "bench.micro." + UUID.randomUUID();
		Recorder recorder = new Recorder(messages);
		try (RabbitBroker broker = RabbitBroker.builder(address)
			.ackOnSuccess(mode == Mode.ACK_ON_SUCCESS)
			.durableQueue(mode == Mode.ACK_ON_SUCCESS)
			.prefetch(100)
			.build()) {
			SubscribeOptions subscribe = (mode == Mode.ACK_ON_SUCCESS) ? SubscribeOptions.queue("bench-" + topic)
					: SubscribeOptions.defaults();
			Subscription subscription = broker.subscribe(topic,
					event -> recorder.record(event.message().body()), subscribe);
			long start = System.nanoTime();
			run(publishers, messages, () -> {
				byte[] body = body(payload);
				broker.publish(topic, new Message(headers(topic), body));
			});
			recorder.await();
			long elapsed = System.nanoTime() - start;
			subscription.close();
			return recorder.result("micro4j RabbitBroker", mode, elapsed);
		}
	}

	private static Result rawClient(String address, Mode mode, int messages, int publishers, int payload)
			throws Exception {
		String topic = "bench.raw." + UUID.randomUUID();
		Recorder recorder = new Recorder(messages);
		ConnectionFactory factory = new ConnectionFactory();
		factory.setUri(address);
		try (Connection connection = factory.newConnection("raw-benchmark")) {
			Channel consumerChannel = connection.createChannel();
			consumerChannel.exchangeDeclare(EXCHANGE, "topic", false);
			boolean manual = mode == Mode.ACK_ON_SUCCESS;
			String queue = manual ? consumerChannel.queueDeclare("bench-" + topic, true, false, false, null).getQueue()
					: consumerChannel.queueDeclare().getQueue();
			consumerChannel.queueBind(queue, EXCHANGE, topic);
			consumerChannel.basicQos(100);
			consumerChannel.basicConsume(queue, !manual, new DefaultConsumer(consumerChannel) {

				@Override
				public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties,
						byte[] body) throws IOException {
					recorder.record(body);
					if (manual) {
						getChannel().basicAck(envelope.getDeliveryTag(), false);
					}
				}

			});
			ThreadLocal<Channel> channels = ThreadLocal.withInitial(() -> {
				try {
					Channel channel = connection.createChannel();
					channel.confirmSelect();
					return channel;
				}
				catch (IOException ex) {
					throw new IllegalStateException(ex);
				}
			});
			long start = System.nanoTime();
			run(publishers, messages, () -> {
				byte[] body = body(payload);
				Metadata headers = headers(topic);
				Map<String, Object> table = new LinkedHashMap<>();
				headers.forEach(table::put);
				AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().headers(table)
					.contentType("application/json")
					.deliveryMode(2)
					.build();
				Channel channel = channels.get();
				channel.basicPublish(EXCHANGE, topic, false, properties, body);
				channel.waitForConfirmsOrDie(5000);
			});
			recorder.await();
			long elapsed = System.nanoTime() - start;
			if (manual) {
				consumerChannel.queueDelete(queue);
			}
			return recorder.result("raw amqp-client", mode, elapsed);
		}
	}

	/** Runs {@code task} {@code messages} times spread over {@code threads} threads. */
	private static void run(int threads, int messages, Task task) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		AtomicInteger remaining = new AtomicInteger(messages);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				futures.add(executor.submit(() -> {
					while (remaining.getAndDecrement() > 0) {
						task.run();
					}
					return null;
				}));
			}
			for (Future<?> future : futures) {
				future.get(10, TimeUnit.MINUTES);
			}
		}
		finally {
			executor.shutdownNow();
		}
	}

	private static Metadata headers(String topic) {
		return Metadata.of("Content-Type", "application/json", "Micro-Id", UUID.randomUUID().toString(),
				"Micro-Topic", topic);
	}

	/** A body of {@code size} bytes starting with the send time. */
	private static byte[] body(int size) {
		byte[] body = new byte[Math.max(Long.BYTES, size)];
		Arrays.fill(body, (byte) 'x');
		ByteBuffer.wrap(body).putLong(System.nanoTime());
		return body;
	}

	private static void report(List<Result> results, int messages, int publishers, int payload) throws IOException {
		StringBuilder csv = new StringBuilder(
				"time,mode,client,messages,publishers,payload_bytes,throughput_msgs_per_s,latency_p50_us,"
						+ "latency_p99_us,latency_max_us\n");
		System.out.printf(Locale.ROOT, "%n%-16s %-22s %14s %10s %10s %10s%n", "mode", "client", "throughput/s",
				"p50 (us)", "p99 (us)", "max (us)");
		String now = Instant.now().toString();
		for (Result result : results) {
			csv.append(String.format(Locale.ROOT, "%s,%s,%s,%d,%d,%d,%.0f,%.0f,%.0f,%.0f%n", now, result.mode.label,
					result.client, messages, publishers, payload, result.throughput, result.p50, result.p99,
					result.max));
			System.out.printf(Locale.ROOT, "%-16s %-22s %14.0f %10.0f %10.0f %10.0f%n", result.mode.label,
					result.client, result.throughput, result.p50, result.p99, result.max);
		}
		for (Mode mode : Mode.values()) {
			Result raw = results.stream().filter(r -> r.mode == mode && r.client.startsWith("raw")).findFirst()
				.orElseThrow();
			Result micro = results.stream().filter(r -> r.mode == mode && !r.client.startsWith("raw")).findFirst()
				.orElseThrow();
			System.out.printf(Locale.ROOT, "%s: RabbitBroker throughput = %.2f x raw amqp-client%n", mode.label,
					micro.throughput / raw.throughput);
		}
		Path dir = Results.directory();
		Path file = dir.resolve("rabbitmq-broker.csv");
		Files.writeString(file, csv);
		System.out.println("Wrote " + file.toAbsolutePath());
	}

	private static Map<String, String> options(String[] args) {
		Map<String, String> options = new LinkedHashMap<>();
		for (int i = 0; i + 1 < args.length; i += 2) {
			if (!args[i].startsWith("--")) {
				throw new IllegalArgumentException("argument " + args[i] + " (expected: --name value)");
			}
			options.put(args[i].substring(2), args[i + 1]);
		}
		return options;
	}

	private enum Mode {

		AUTO_ACK("auto-ack"), ACK_ON_SUCCESS("ack-on-success");

		final String label;

		Mode(String label) {
			this.label = label;
		}

	}

	@FunctionalInterface
	private interface Task {

		void run() throws Exception;

	}

	private record Result(String client, Mode mode, double throughput, double p50, double p99, double max) {
	}

	/** Counts deliveries and keeps each one's latency. */
	private static final class Recorder {

		private final long[] latencies;

		private final AtomicInteger count = new AtomicInteger();

		private final CountDownLatch done = new CountDownLatch(1);

		private final int expected;

		Recorder(int expected) {
			this.expected = expected;
			this.latencies = new long[expected];
		}

		void record(byte[] body) {
			long latency = System.nanoTime() - ByteBuffer.wrap(body).getLong();
			int index = this.count.getAndIncrement();
			if (index < this.expected) {
				this.latencies[index] = latency;
			}
			if (index + 1 == this.expected) {
				this.done.countDown();
			}
		}

		void await() throws InterruptedException {
			if (!this.done.await(10, TimeUnit.MINUTES)) {
				throw new IllegalStateException(
						"only " + this.count.get() + " of " + this.expected + " messages arrived within 10 minutes");
			}
		}

		Result result(String client, Mode mode, long elapsedNanos) {
			long[] sorted = this.latencies.clone();
			Arrays.sort(sorted);
			double throughput = this.expected / (elapsedNanos / 1e9);
			return new Result(client, mode, throughput, micros(sorted, 0.50), micros(sorted, 0.99),
					sorted[sorted.length - 1] / 1e3);
		}

		private static double micros(long[] sorted, double quantile) {
			int index = (int) Math.ceil(quantile * sorted.length) - 1;
			return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e3;
		}

	}

}
