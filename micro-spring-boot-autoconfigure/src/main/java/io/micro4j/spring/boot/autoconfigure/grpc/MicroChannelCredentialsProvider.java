package io.micro4j.spring.boot.autoconfigure.grpc;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.grpc.ChannelCredentials;
import io.micro4j.grpc.MicroChannelCredentials;
import io.micro4j.grpc.MicroNameResolverProvider;
import io.micro4j.spring.boot.autoconfigure.ssl.ClientSslProperties;
import io.micro4j.spring.boot.autoconfigure.ssl.SslBundleTls;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.core.env.Environment;
import org.springframework.grpc.client.ChannelCredentialsProvider;

/**
 * The credentials of Spring gRPC channels: for a {@code micro:///} target (the name given to the channel factory, or
 * its {@code spring.grpc.client.channel.<name>.target}) credentials that dial {@code secure=true} nodes with TLS per
 * {@code micro.client.ssl.*} and other nodes in plaintext ({@link MicroChannelCredentials}); for any other target
 * those of the provider it wraps (Boot's, from {@code spring.grpc.client.channel.<name>.ssl.*}). Boot's per-channel
 * SSL settings make a channel all-TLS or all-plaintext, which a fleet moving to TLS node by node cannot use: on a
 * {@code micro:///} channel they are not applied, and a warning says so.
 */
final class MicroChannelCredentialsProvider implements ChannelCredentialsProvider {

	private static final Logger logger = LoggerFactory.getLogger(MicroChannelCredentialsProvider.class);

	private static final String CHANNEL = "spring.grpc.client.channel.";

	private final ChannelCredentialsProvider delegate;

	private final Environment environment;

	private final ObjectProvider<SslBundles> sslBundles;

	private final Set<String> warned = ConcurrentHashMap.newKeySet();

	private volatile @Nullable ChannelCredentials micro;

	MicroChannelCredentialsProvider(ChannelCredentialsProvider delegate, Environment environment,
			ObjectProvider<SslBundles> sslBundles) {
		this.delegate = delegate;
		this.environment = environment;
		this.sslBundles = sslBundles;
	}

	@Override
	public ChannelCredentials getChannelCredentials(String path) {
		if (!isMicroTarget(path)) {
			return this.delegate.getChannelCredentials(path);
		}
		if ((this.environment.containsProperty(CHANNEL + path + ".ssl.bundle")
				|| this.environment.containsProperty(CHANNEL + path + ".ssl.enabled")) && this.warned.add(path)) {
			logger.warn("{}{}.ssl.* is not applied to channel '{}': a micro:/// channel dials nodes that register "
					+ "secure=true with TLS per micro.client.ssl.* and the others in plaintext", CHANNEL, path, path);
		}
		return microCredentials();
	}

	private boolean isMicroTarget(String path) {
		String target = this.environment.getProperty(CHANNEL + path + ".target", path);
		return target.startsWith(MicroNameResolverProvider.SCHEME + ":");
	}

	private synchronized ChannelCredentials microCredentials() {
		ChannelCredentials current = this.micro;
		if (current == null) {
			ClientSslProperties ssl = Binder.get(this.environment)
				.bindOrCreate("micro.client.ssl", ClientSslProperties.class);
			current = MicroChannelCredentials
				.create(SslBundleTls.client(ssl, this.sslBundles, "micro:/// gRPC channels"));
			this.micro = current;
		}
		return current;
	}

}
