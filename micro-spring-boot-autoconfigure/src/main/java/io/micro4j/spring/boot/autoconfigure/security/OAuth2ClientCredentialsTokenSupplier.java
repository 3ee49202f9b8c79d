package io.micro4j.spring.boot.autoconfigure.security;

import java.util.Objects;
import java.util.Optional;

import io.micro4j.security.AccessToken;
import io.micro4j.security.TokenSupplier;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.core.OAuth2AccessToken;

/**
 * The access token of an OAuth2 client registration, obtained (client credentials) and renewed through Spring
 * Security's {@link OAuth2AuthorizedClientManager}, with this service as the principal. The manager keeps the
 * authorized client; {@link io.micro4j.security.TokenSuppliers#cached} in front of this supplier avoids asking it on
 * every call.
 */
public final class OAuth2ClientCredentialsTokenSupplier implements TokenSupplier {

	private final OAuth2AuthorizedClientManager manager;

	private final String registrationId;

	private final String principal;

	/**
	 * @param manager the authorized-client manager
	 * @param registrationId the client registration
	 * @param principal the name the token is requested for (the service's name)
	 */
	public OAuth2ClientCredentialsTokenSupplier(OAuth2AuthorizedClientManager manager, String registrationId,
			String principal) {
		this.manager = Objects.requireNonNull(manager, "manager");
		this.registrationId = Objects.requireNonNull(registrationId, "registrationId");
		this.principal = Objects.requireNonNull(principal, "principal");
	}

	/**
	 * The registration's current token.
	 * @throws org.springframework.security.oauth2.client.ClientAuthorizationException when the authorization server
	 * refuses or cannot be reached
	 */
	@Override
	public Optional<AccessToken> token() {
		OAuth2AuthorizedClient client = this.manager.authorize(
				OAuth2AuthorizeRequest.withClientRegistrationId(this.registrationId).principal(this.principal).build());
		if (client == null) {
			return Optional.empty();
		}
		OAuth2AccessToken token = client.getAccessToken();
		return Optional.of(new AccessToken(token.getTokenValue(), Optional.ofNullable(token.getExpiresAt())));
	}

	@Override
	public String toString() {
		return "OAuth2ClientCredentialsTokenSupplier[registration=" + this.registrationId + "]";
	}

}
