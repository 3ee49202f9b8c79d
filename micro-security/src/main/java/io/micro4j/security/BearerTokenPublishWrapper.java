package io.micro4j.security;

import java.util.Objects;

import io.micro4j.broker.Message;
import io.micro4j.client.PublishFunction;
import io.micro4j.client.PublishWrapper;

/**
 * Adds {@code Authorization: Bearer <token>} from a {@link TokenSupplier} to the headers of every published message
 * that has none, so subscribers behind an {@link AuthSubscriberWrapper} accept it. Without a token the message goes
 * without; a failing supplier fails the publish.
 */
public final class BearerTokenPublishWrapper implements PublishWrapper {

	private final TokenSupplier tokens;

	public BearerTokenPublishWrapper(TokenSupplier tokens) {
		this.tokens = Objects.requireNonNull(tokens, "tokens");
	}

	@Override
	public PublishFunction wrap(PublishFunction next) {
		return (topic, message) -> {
			if (message.headers().get(MicroAuth.AUTHORIZATION).isPresent()) {
				next.publish(topic, message);
				return;
			}
			Message out = this.tokens.token()
				.map((token) -> new Message(
						message.headers().with(MicroAuth.AUTHORIZATION, MicroAuth.BEARER_PREFIX + token.value()),
						message.body()))
				.orElse(message);
			next.publish(topic, out);
		};
	}

}
