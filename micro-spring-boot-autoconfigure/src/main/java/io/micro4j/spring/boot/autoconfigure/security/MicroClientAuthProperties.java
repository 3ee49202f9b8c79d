package io.micro4j.spring.boot.autoconfigure.security;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The bearer token of outgoing calls and published messages ({@code micro.client.auth.*}). With several sources
 * set, the caller's token (propagate) comes first, then the OAuth2 client's, then the fixed token.
 */
@ConfigurationProperties("micro.client.auth")
public class MicroClientAuthProperties {

	/**
	 * A fixed bearer token sent with every call and published message (e.g. a go-micro service account's token);
	 * never logged nor shown by actuator.
	 */
	private @Nullable String token;

	/**
	 * Whether a call made while handling a call passes the caller's bearer token on.
	 */
	private boolean propagate;

	/**
	 * The Spring Security OAuth2 client registration whose client-credentials token is sent (needs
	 * spring-security-oauth2-client and a ClientRegistrationRepository).
	 */
	private @Nullable String oauth2ClientRegistrationId;

	/**
	 * How long before its expiry an obtained token is replaced.
	 */
	private Duration refreshBefore = Duration.ofSeconds(30);

	public @Nullable String getToken() {
		return this.token;
	}

	public void setToken(@Nullable String token) {
		this.token = token;
	}

	public boolean isPropagate() {
		return this.propagate;
	}

	public void setPropagate(boolean propagate) {
		this.propagate = propagate;
	}

	public @Nullable String getOauth2ClientRegistrationId() {
		return this.oauth2ClientRegistrationId;
	}

	public void setOauth2ClientRegistrationId(@Nullable String oauth2ClientRegistrationId) {
		this.oauth2ClientRegistrationId = oauth2ClientRegistrationId;
	}

	public Duration getRefreshBefore() {
		return this.refreshBefore;
	}

	public void setRefreshBefore(Duration refreshBefore) {
		this.refreshBefore = refreshBefore;
	}

	/** Whether any token source is configured. */
	boolean hasSource() {
		return (this.token != null && !this.token.isBlank()) || this.propagate
				|| (this.oauth2ClientRegistrationId != null && !this.oauth2ClientRegistrationId.isBlank());
	}

	@Override
	public String toString() {
		return "MicroClientAuthProperties[token=" + ((this.token != null) ? "<hidden>" : "none") + ", propagate="
				+ this.propagate + ", oauth2ClientRegistrationId=" + this.oauth2ClientRegistrationId + "]";
	}

}
