package io.micro4j.spring.client;

import io.micro4j.client.CallOptions;

/**
 * Chooses the {@link CallOptions} of calls to one service; {@link io.micro4j.spring.annotation.MicroClient} proxies
 * ask it on every call. The auto-configured resolver applies {@code micro.client.*} and the per-service overrides
 * {@code micro.client.services.<service>.*}.
 */
@FunctionalInterface
public interface CallOptionsResolver {

	/** The options for calls to {@code service}; never {@code null}. */
	CallOptions callOptions(String service);

}
