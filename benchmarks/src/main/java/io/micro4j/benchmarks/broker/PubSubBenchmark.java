package io.micro4j.benchmarks.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micro4j.benchmarks.support.Results;
import io.micro4j.broker.Broker;
import io.micro4j.broker.Envelope;
import io.micro4j.broker.Message;
import io.micro4j.broker.SubscribeOptions;
import io.micro4j.broker.Subscription;
import io.micro4j.broker.http.HttpBroker;
import io.micro4j.broker.memory.MemoryBroker;
import io.micro4j.broker.nats.NatsBroker;
import io.micro4j.metadata.Metadata;
import io.micro4j.registry.memory.MemoryRegistry;
import io.micro4j.test.nats.NatsServer;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;

/**
 * Publish→deliver throughput and latency of the memory, http and NATS brokers, next to raw jnats publishing the
 * same envelope bytes to the same nats-server in the same run.
 * <p>
 * For each broker, one publisher and one plain subscriber in this process: <b>throughput</b> is {@code messages}
 * published back to back, timed from the first publish to the last delivery (after a warm-up run of a quarter as
 * many); <b>latency</b> is {@code latency-messages} published one at a time, each timed from just before publish to
 * its delivery in the handler (p50, p99). The payload is a go-micro message whose JSON body has
 * {@code payload-bytes} bytes; raw jnats publishes its envelope, so it moves exactly the bytes the NATS broker
 * moves. Results go to stdout and to {@code benchmarks/results/pubsub-brokers.csv}.
 * <p>
 * Arguments (all optional): {@code messages=20000 latency-messages=2000 payload-bytes=256}.
 */
public final class PubSubBenchmark {

	private PubSubBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int messages = intArg(args, "messages", 20_000);
		int latencyMessages = intArg(args, "latency-messages", 2_000);
		int payloadBytes = intArg(args, "payload-bytes", 256);
		Message message = message(payloadBytes);
		List<Result> results = new ArrayList<>();
		try (NatsServer nats = new NatsServer(); MemoryRegistry registry = new MemoryRegistry()) {
			nats.start();
			try (MemoryBroker memory = new MemoryBroker()) {
				results.add(measure("memory", memory, message, messages, latencyMessages));
			}
			try (HttpBroker http = HttpBroker.builder(registry).address("127.0.0.1:0").build()) {
				results.add(measure("http", http, message, messages, latencyMessages));
			}
			try (NatsBroker natsBroker = NatsBroker.builder().servers(nats.url()).build()) {
				results.add(measure("nats", natsBroker, message, messages, latencyMessages));
			}
			results.add(rawJnats(nats.url(), Envelope.encode(message), messages, latencyMessages));
		}
		write(results, messages, payloadBytes);
	}

	private static Result measure(String name, Broker broker, Message message, int messages, int latencyMessages)
			throws InterruptedException {
		String topic = "bench." + name;
		AtomicInteger received = new AtomicInteger();
		SynchronousQueue<Long> delivered = new SynchronousQueue<>();
		AtomicInteger mode = new AtomicInteger();
		Subscription subscription = broker.subscribe(topic, event -> {
			if (mode.get() == 0) {
				received.incrementAndGet();
			}
			else {
				delivered.put(System.nanoTime());
			}
		}, SubscribeOptions.defaults());
		if (broker instanceof HttpBroker http) {
			awaitSubscriber(http, topic);
		}
		try {
			blast(broker, topic, message, messages / 4, received);
			double throughput = blast(broker, topic, message, messages, received);
			mode.set(1);
			long[] latencies = new long[latencyMessages];
			for (int i = 0; i < latencyMessages; i++) {
				long start = System.nanoTime();
				broker.publish(topic, message);
				Long end = delivered.poll(10, TimeUnit.SECONDS);
				if (end == null) {
					throw new IllegalStateException(name + ": message " + i + " of the latency run was not delivered");
				}
				latencies[i] = end - start;
			}
			return new Result(name, throughput, latencies);
		}
		finally {
			subscription.close();
		}
	}

	private static double blast(Broker broker, String topic, Message message, int count, AtomicInteger received)
			throws InterruptedException {
		received.set(0);
		long start = System.nanoTime();
		for (int i = 0; i < count; i++) {
			broker.publish(topic, message);
		}
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
		while (received.get() < count) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(broker.name() + ": only " + received.get() + " of " + count
						+ " messages arrived within 120 s");
			}
			Thread.onSpinWait();
		}
		return count / ((System.nanoTime() - start) / 1e9);
	}

	private static Result rawJnats(String url, byte[] envelope, int messages, int latencyMessages) throws Exception {
		try (Connection connection = Nats.connect(url)) {
			AtomicInteger received = new AtomicInteger();
			SynchronousQueue<Long> delivered = new SynchronousQueue<>();
			AtomicInteger mode = new AtomicInteger();
			Dispatcher dispatcher = connection.createDispatcher(msg -> {
				if (mode.get() == 0) {
					received.incrementAndGet();
				}
				else {
					delivered.put(System.nanoTime());
				}
			});
			dispatcher.subscribe("bench.raw");
			connection.flush(Duration.ofSeconds(5));
			double throughput = 0;
			for (int run : new int[] { messages / 4, messages }) {
				received.set(0);
				long start = System.nanoTime();
				for (int i = 0; i < run; i++) {
					connection.publish("bench.raw", envelope);
				}
				long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
				while (received.get() < run) {
					if (System.nanoTime() > deadline) {
						throw new IllegalStateException("raw jnats: only " + received.get() + " of " + run
								+ " messages arrived within 120 s");
					}
					Thread.onSpinWait();
				}
				throughput = run / ((System.nanoTime() - start) / 1e9);
			}
			mode.set(1);
			long[] latencies = new long[latencyMessages];
			for (int i = 0; i < latencyMessages; i++) {
				long start = System.nanoTime();
				connection.publish("bench.raw", envelope);
				Long end = delivered.poll(10, TimeUnit.SECONDS);
				if (end == null) {
					throw new IllegalStateException("raw jnats: message " + i + " was not delivered");
				}
				latencies[i] = end - start;
			}
			connection.closeDispatcher(dispatcher);
			return new Result("jnats (raw)", throughput, latencies);
		}
	}

	private static void awaitSubscriber(HttpBroker broker, String topic) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (broker.subscriberNodes(topic).isEmpty()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("http broker does not see its own subscriber");
			}
			Thread.sleep(10);
		}
	}

	private static Message message(int payloadBytes) {
		StringBuilder body = new StringBuilder("{\"id\":\"1\",\"message\":\"");
		while (body.length() < payloadBytes - 3) {
			body.append('x');
		}
		body.append("\"}\n");
		Metadata headers = Metadata.of("Content-Type", "application/json", "Micro-Id",
				"014f4caf-43f0-4960-8eb8-24651de0c669", "Micro-Topic", "bench");
		return new Message(headers, body.toString().getBytes(StandardCharsets.UTF_8));
	}

	private static void write(List<Result> results, int messages, int payloadBytes) {
		StringBuilder csv = new StringBuilder("broker,messages,payload_bytes,throughput_msgs_per_s,latency_p50_us,"
				+ "latency_p99_us\n");
		System.out.printf(Locale.ROOT, "%n%-12s %14s %12s %12s%n", "broker", "throughput/s", "p50 (us)", "p99 (us)");
		for (Result result : results) {
			csv.append(String.format(Locale.ROOT, "%s,%d,%d,%.0f,%.1f,%.1f%n", result.name, messages, payloadBytes,
					result.throughput, result.percentileMicros(0.50), result.percentileMicros(0.99)));
			System.out.printf(Locale.ROOT, "%-12s %14.0f %12.1f %12.1f%n", result.name, result.throughput,
					result.percentileMicros(0.50), result.percentileMicros(0.99));
		}
		try {
			Path file = Results.directory().resolve("pubsub-brokers.csv");
			Files.writeString(file, csv);
			System.out.println("Wrote " + file.toAbsolutePath() + " at " + Instant.now());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static int intArg(String[] args, String name, int defaultValue) {
		for (String arg : args) {
			if (arg.startsWith(name + "=")) {
				return Integer.parseInt(arg.substring(name.length() + 1));
			}
		}
		return defaultValue;
	}

	private record Result(String name, double throughput, long[] latencies) {

		double percentileMicros(double percentile) {
			long[] sorted = this.latencies.clone();
			Arrays.sort(sorted);
			int index = (int) Math.min(sorted.length - 1, Math.ceil(percentile * sorted.length) - 1);
			return sorted[Math.max(0, index)] / 1000.0;
		}

	}

}
