package io.micro4j.server;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import io.micro4j.client.Idempotent;
import io.micro4j.metadata.Metadata;
import io.micro4j.registry.Endpoint;
import io.micro4j.registry.Value;
import org.jspecify.annotations.Nullable;

/**
 * One endpoint backed by a Java method: {@code <Handler>.<Method>} where the method name is capitalised
 * ({@code hello} becomes {@code Hello}). The method takes at most one request parameter plus, optionally, a
 * {@link Metadata} parameter receiving the incoming metadata; it returns the response, a
 * {@link CompletionStage} of it, or nothing.
 */
final class HandlerMethod {

	private final String endpoint;

	private final Object bean;

	private final Method method;

	private final @Nullable Type requestType;

	private final int requestIndex;

	private final int metadataIndex;

	private final boolean async;

	private HandlerMethod(String endpoint, Object bean, Method method) {
		this.endpoint = endpoint;
		this.bean = bean;
		this.method = method;
		Type[] params = method.getGenericParameterTypes();
		int request = -1;
		int metadata = -1;
		for (int i = 0; i < params.length; i++) {
			if (params[i] == Metadata.class) {
				if (metadata >= 0) {
					throw new IllegalArgumentException(describe(method) + ": more than one Metadata parameter");
				}
				metadata = i;
			}
			else {
				if (request >= 0) {
					throw new IllegalArgumentException(describe(method)
							+ ": more than one request parameter (expected: (Request) or (Request, Metadata))");
				}
				request = i;
			}
		}
		this.requestIndex = request;
		this.metadataIndex = metadata;
		this.requestType = (request >= 0) ? params[request] : null;
		this.async = CompletionStage.class.isAssignableFrom(method.getReturnType());
		method.setAccessible(true);
	}

	/** The endpoints of {@code bean}: its public instance methods, declared by its class and superclasses. */
	static List<HandlerMethod> endpoints(String handlerName, Object bean) {
		List<HandlerMethod> result = new ArrayList<>();
		for (Method method : userClass(bean.getClass()).getMethods()) {
			if (method.getDeclaringClass() == Object.class || Modifier.isStatic(method.getModifiers())
					|| method.isBridge() || method.isSynthetic() || overridesObjectMethod(method)) {
				continue;
			}
			result.add(new HandlerMethod(handlerName + "." + capitalize(method.getName()), bean, method));
		}
		result.sort((a, b) -> a.endpoint.compareTo(b.endpoint));
		return result;
	}

	private static boolean overridesObjectMethod(Method method) {
		try {
			Object.class.getMethod(method.getName(), method.getParameterTypes());
			return true;
		}
		catch (NoSuchMethodException ex) {
			return false;
		}
	}

	/** A subscriber method: one payload parameter plus an optional Metadata parameter. */
	static HandlerMethod subscriber(Object bean, Method method) {
		HandlerMethod hm = new HandlerMethod(userClass(bean.getClass()).getSimpleName() + "." + capitalize(method.getName()),
				bean, method);
		if (hm.requestType == null) {
			throw new IllegalArgumentException(describe(method) + ": a subscriber needs a payload parameter");
		}
		return hm;
	}

	/** The class a user wrote: skips CGLIB and similar generated subclasses. */
	static Class<?> userClass(Class<?> cls) {
		Class<?> c = cls;
		while (c.getName().contains("$$") && c.getSuperclass() != null && c.getSuperclass() != Object.class) {
			c = c.getSuperclass();
		}
		return c;
	}

	static String capitalize(String name) {
		return name.isEmpty() ? name : name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1);
	}

	String endpoint() {
		return this.endpoint;
	}

	/** The type to decode the request body into; {@code Object} when the method takes none. */
	Type requestType() {
		return (this.requestType != null) ? this.requestType : Object.class;
	}

	boolean hasRequest() {
		return this.requestType != null;
	}

	boolean isAsync() {
		return this.async;
	}

	/** Invokes the method; unwraps the target's own exception. */
	@Nullable Object invoke(@Nullable Object request, Metadata metadata) throws Exception {
		Object[] args = new Object[this.method.getParameterCount()];
		if (this.requestIndex >= 0) {
			args[this.requestIndex] = request;
		}
		if (this.metadataIndex >= 0) {
			args[this.metadataIndex] = metadata;
		}
		try {
			return this.method.invoke(this.bean, args);
		}
		catch (InvocationTargetException ex) {
			Throwable target = ex.getTargetException();
			if (target instanceof Exception e) {
				throw e;
			}
			throw ex;
		}
	}

	/** The registry endpoint: request/response values as go-micro's extractor builds them. */
	Endpoint toEndpoint() {
		Type response = this.method.getGenericReturnType();
		if (this.async && response instanceof ParameterizedType pt) {
			response = pt.getActualTypeArguments()[0];
		}
		Value request = ValueExtractor.extract(this.requestType);
		return new Endpoint(this.endpoint, request, ValueExtractor.extract(response),
				isIdempotent() ? Map.of(Idempotent.METADATA_KEY, "true") : Map.of());
	}

	/** Whether the method, its declaring class or the handler's class carries {@link Idempotent}. */
	boolean isIdempotent() {
		return this.method.isAnnotationPresent(Idempotent.class)
				|| this.method.getDeclaringClass().isAnnotationPresent(Idempotent.class)
				|| userClass(this.bean.getClass()).isAnnotationPresent(Idempotent.class);
	}

	/** The registry endpoint of a subscriber on {@code topic}. */
	Endpoint toSubscriberEndpoint(String topic) {
		return new Endpoint(this.endpoint, ValueExtractor.extract(this.requestType), null,
				Map.of("subscriber", "true", "topic", topic));
	}

	private static String describe(Method method) {
		return method.getDeclaringClass().getSimpleName() + "." + method.getName();
	}

}
