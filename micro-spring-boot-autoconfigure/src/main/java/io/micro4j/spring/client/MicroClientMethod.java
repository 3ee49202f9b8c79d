package io.micro4j.spring.client;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.micro4j.client.ClientStream;
import io.micro4j.client.Idempotent;
import io.micro4j.client.Request;
import io.micro4j.metadata.Metadata;
import io.micro4j.spring.annotation.MicroEndpoint;
import org.jspecify.annotations.Nullable;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * How one method of a {@link io.micro4j.spring.annotation.MicroClient} interface maps to a call, worked out once
 * when the proxy is created so that a malformed interface fails at startup.
 *
 * @param endpoint the endpoint, e.g. {@code Greeter.Hello}
 * @param bodyIndex the index of the request body parameter, or {@code -1} to send an empty JSON object
 * @param metadataIndex the index of the {@link Metadata} parameter, or {@code -1}
 * @param responseType the type to decode the answer into (the {@code T} of {@code CompletableFuture<T>})
 * @param async whether the method returns a {@code CompletableFuture} / {@code CompletionStage}
 * @param idempotent whether the method or its interface is annotated {@link Idempotent}
 * @param stream whether the method returns a {@link ClientStream}: it opens a stream; a request parameter is then
 * sent as the stream's only message, followed by the end of sending (go-micro's server-streaming client)
 */
record MicroClientMethod(String endpoint, int bodyIndex, int metadataIndex, Type responseType, boolean async,
		boolean idempotent, boolean stream) {

	private static final Object EMPTY_BODY = Map.of();

	/**
	 * The mapping of {@code method} of a client whose handler name is {@code handler}.
	 * @throws IllegalStateException if the method has more than one body parameter or more than one
	 * {@link Metadata} parameter
	 */
	static MicroClientMethod of(String handler, Method method) {
		Class<?> returnType = method.getReturnType();
		boolean async = CompletionStage.class.isAssignableFrom(returnType)
				&& returnType.isAssignableFrom(CompletableFuture.class);
		if (CompletionStage.class.isAssignableFrom(returnType) && !async) {
			throw new IllegalStateException(describe(method) + ": return type " + returnType.getSimpleName()
					+ " (expected: CompletableFuture or CompletionStage)");
		}
		MicroEndpoint annotation = AnnotatedElementUtils.findMergedAnnotation(method, MicroEndpoint.class);
		String endpoint = (annotation != null) ? annotation.value()
				: handler + "." + capitalize(async ? synchronousName(method.getName()) : method.getName());
		if (endpoint.isBlank()) {
			throw new IllegalStateException(describe(method) + ": @MicroEndpoint value is blank (expected: e.g. Greeter.Hello)");
		}
		int bodyIndex = -1;
		int metadataIndex = -1;
		Class<?>[] parameterTypes = method.getParameterTypes();
		for (int i = 0; i < parameterTypes.length; i++) {
			if (parameterTypes[i] == Metadata.class) {
				if (metadataIndex >= 0) {
					throw new IllegalStateException(describe(method) + ": more than one Metadata parameter (expected: at most one)");
				}
				metadataIndex = i;
			}
			else {
				if (bodyIndex >= 0) {
					throw new IllegalStateException(describe(method)
							+ ": more than one request parameter (expected: at most one request body, plus an optional Metadata)");
				}
				bodyIndex = i;
			}
		}
		Type responseType;
		if (async) {
			Type generic = method.getGenericReturnType();
			responseType = (generic instanceof ParameterizedType parameterized)
					? parameterized.getActualTypeArguments()[0] : Object.class;
		}
		else {
			responseType = (returnType == void.class) ? Object.class : method.getGenericReturnType();
		}
		boolean idempotent = AnnotatedElementUtils.hasAnnotation(method, Idempotent.class)
				|| AnnotatedElementUtils.hasAnnotation(method.getDeclaringClass(), Idempotent.class);
		return new MicroClientMethod(endpoint, bodyIndex, metadataIndex, responseType, async, idempotent,
				returnType == ClientStream.class);
	}

	/** The request for one invocation with {@code args}. */
	Request request(String service, @Nullable Object[] args) {
		Object body = (this.bodyIndex >= 0 && args != null && args[this.bodyIndex] != null) ? args[this.bodyIndex]
				: EMPTY_BODY;
		Request request = Request.of(service, this.endpoint, body);
		if (this.metadataIndex >= 0 && args != null && args[this.metadataIndex] instanceof Metadata metadata) {
			request = request.withMetadata(metadata);
		}
		return request;
	}

	/**
	 * The name an asynchronous method's endpoint is derived from: {@code helloAsync} calls {@code Greeter.Hello}, the
	 * endpoint its synchronous twin {@code hello} calls (an {@code Async} suffix names how the Java method answers, not
	 * a different endpoint). {@code @MicroEndpoint} overrides it, e.g. for an endpoint really named {@code HelloAsync}.
	 */
	static String synchronousName(String name) {
		return (name.length() > 5 && name.endsWith("Async")) ? name.substring(0, name.length() - 5) : name;
	}

	static String capitalize(String name) {
		return name.isEmpty() ? name : name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1);
	}

	private static String describe(Method method) {
		return method.getDeclaringClass().getSimpleName() + "." + method.getName();
	}

}
