package io.micro4j.broker;

import java.util.Optional;

/**
 * An active subscription; close it to unsubscribe (idempotent).
 */
public interface Subscription extends AutoCloseable {

	String topic();

	Optional<String> queue();

	@Override
	void close();

}
