package io.micro4j.spring.boot.autoconfigure.grpc;

import org.springframework.core.env.Environment;

/**
 * Whether Spring Boot's gRPC server speaks TLS, read as Boot reads it: {@code spring.grpc.server.ssl.enabled}, else
 * whether {@code spring.grpc.server.ssl.bundle} names a bundle.
 */
final class SpringGrpcServerTls {

	private SpringGrpcServerTls() {
	}

	static boolean isOn(Environment environment) {
		Boolean enabled = environment.getProperty("spring.grpc.server.ssl.enabled", Boolean.class);
		if (enabled != null) {
			return enabled;
		}
		String bundle = environment.getProperty("spring.grpc.server.ssl.bundle");
		return bundle != null && !bundle.isBlank();
	}

}
