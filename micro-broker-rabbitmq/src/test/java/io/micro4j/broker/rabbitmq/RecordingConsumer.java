package io.micro4j.broker.rabbitmq;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CountDownLatch;

import io.micro4j.broker.SubscribeOptions;

/**
 * A consumer process for crash tests: subscribes with ack-on-success to a durable queue and appends the
 * {@code Micro-Id} of every message it handles to a file (before the acknowledgement), then prints {@code ready}.
 * Arguments: AMQP URI, topic, queue, output file, handling delay in milliseconds.
 */
public final class RecordingConsumer {

	private RecordingConsumer() {
	}

	public static void main(String[] args) throws Exception {
		String uri = args[0];
		String topic = args[1];
		String queue = args[2];
		Path output = Path.of(args[3]);
		long delayMillis = Long.parseLong(args[4]);
		RabbitBroker broker = RabbitBroker.builder(uri).ackOnSuccess(true).durableQueue(true).prefetch(50).build();
		try (FileChannel file = FileChannel.open(output, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
				StandardOpenOption.APPEND)) {
			broker.subscribe(topic, event -> {
				String id = event.message().headers().get("Micro-Id").orElse("?");
				write(file, id + "\n");
				if (delayMillis > 0) {
					Thread.sleep(delayMillis);
				}
			}, SubscribeOptions.queue(queue));
			System.out.println("ready");
			System.out.flush();
			new CountDownLatch(1).await();
		}
	}

	private static synchronized void write(FileChannel file, String line) throws IOException {
		ByteBuffer buffer = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
		while (buffer.hasRemaining()) {
			file.write(buffer);
		}
	}

}
