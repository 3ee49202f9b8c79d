package io.micro4j.security;

import java.util.Objects;
import java.util.Optional;

import io.micro4j.errors.MicroException;
import io.micro4j.server.SubscriberFunction;
import io.micro4j.server.SubscriberWrapper;
import org.springframework.core.Ordered;

/**
 * Bearer-token authentication of broker messages: the {@code Authorization} header of the message envelope passes
 * the {@link Authenticator}, with the rule for the message's <b>topic</b> (a rule's pattern is matched against the
 * topic, so {@code micro.auth.rules[n].endpoint=events.*} covers topics {@code events.created}, ...). A refused
 * message is dropped (logged once per publisher subject or topic, as calls are), not handed back to the broker for
 * redelivery: resending the same message would be refused again. The subscriber reads its publisher with
 * {@link MicroAuth#principal()}.
 * <p>
 * Order: {@value AuthHandlerWrapper#ORDER}, as {@link AuthHandlerWrapper}.
 */
public final class AuthSubscriberWrapper implements SubscriberWrapper, Ordered {

	private final Authenticator authenticator;

	private final String service;

	/**
	 * @param authenticator the authenticator
	 * @param service the subscribing service's name (the id of the refusal's go-micro error in the log)
	 */
	public AuthSubscriberWrapper(Authenticator authenticator, String service) {
		this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
		this.service = Objects.requireNonNull(service, "service");
	}

	@Override
	public SubscriberFunction wrap(SubscriberFunction next) {
		return (message) -> {
			Optional<AuthPrincipal> principal;
			try {
				principal = this.authenticator.authenticate(this.service, message.topic(), message.headers(),
						"publisher on topic " + message.topic());
			}
			catch (MicroException refused) {
				return;
			}
			try (MicroAuth.Scope scope = MicroAuth.bind(principal.orElse(null))) {
				next.handle(message);
			}
		};
	}

	@Override
	public int getOrder() {
		return AuthHandlerWrapper.ORDER;
	}

}
