package io.micro4j.security;

import java.util.Optional;

/**
 * Where a client decorator gets the bearer token of an outgoing call or message ({@link BearerTokenCallWrapper},
 * {@link BearerTokenPublishWrapper}). Implementations: {@link TokenSuppliers}; an OAuth2 client-credentials
 * supplier lives in the Spring Boot auto-configuration.
 */
@FunctionalInterface
public interface TokenSupplier {

	/**
	 * The token to send now; empty when this supplier has none (the call goes without, or the next supplier is
	 * asked, see {@link TokenSuppliers#firstOf}).
	 * @throws RuntimeException when a token should exist but could not be obtained (the call fails)
	 */
	Optional<AccessToken> token();

}
