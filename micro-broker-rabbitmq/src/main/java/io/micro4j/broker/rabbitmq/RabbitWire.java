package io.micro4j.broker.rabbitmq;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.LongString;
import io.micro4j.broker.Message;
import io.micro4j.metadata.Metadata;
import org.jspecify.annotations.Nullable;

/**
 * go-micro's RabbitMQ wire: the body travels raw, every header is a string in the AMQP header table.
 * <p>
 * go-micro copies {@code Message.Header} into the table and reads back only string values. We do the same, also
 * put {@code Content-Type} in the AMQP {@code content-type} property (go-micro ignores properties), and on receipt
 * turn numbers, booleans and other scalar values into strings instead of dropping them; nested tables and arrays
 * (RabbitMQ's own {@code x-death}) are left out.
 */
final class RabbitWire {

	/** Delivery mode of a persistent message (written to disk by a durable queue). */
	static final int PERSISTENT = 2;

	/** Delivery mode of a transient message. */
	static final int TRANSIENT = 1;

	private RabbitWire() {
	}

	/** The properties a message is published with: its headers as table strings, its content type, the mode. */
	static AMQP.BasicProperties properties(Metadata headers, boolean persistent) {
		Map<String, Object> table = new LinkedHashMap<>(headers.size() * 2);
		headers.forEach(table::put);
		return new AMQP.BasicProperties.Builder().headers(table)
			.contentType(headers.getOrNull("Content-Type"))
			.deliveryMode(persistent ? PERSISTENT : TRANSIENT)
			.build();
	}

	/** The message of a delivery: string headers from the table (plus {@code Content-Type} from the property). */
	static Message message(AMQP.@Nullable BasicProperties properties, byte[] body) {
		Map<String, String> headers = new LinkedHashMap<>();
		if (properties != null) {
			if (properties.getContentType() != null) {
				headers.put("Content-Type", properties.getContentType());
			}
			Map<String, Object> table = properties.getHeaders();
			if (table != null) {
				table.forEach((key, value) -> {
					String text = text(value);
					if (text != null) {
						headers.put(key, text);
					}
				});
			}
		}
		return new Message(Metadata.of(headers), body);
	}

	private static @Nullable String text(@Nullable Object value) {
		if (value instanceof LongString || value instanceof String || value instanceof Number
				|| value instanceof Boolean || value instanceof Character) {
			return value.toString();
		}
		if (value instanceof byte[] bytes) {
			return new String(bytes, StandardCharsets.UTF_8);
		}
		return null;
	}

}
