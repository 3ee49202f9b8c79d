package io.micro4j.server;

import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import io.micro4j.client.Idempotent;
import io.micro4j.errors.FailureClassifier;
import io.micro4j.errors.MicroException;
import io.micro4j.metadata.Metadata;
import io.micro4j.registry.Endpoint;
import io.micro4j.registry.Value;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One endpoint backed by a Java method: {@code <Handler>.<Method>} where the method name is capitalised
 * ({@code hello} becomes {@code Hello}). The method takes one request parameter plus, optionally, a
 * {@link Metadata} parameter receiving the incoming metadata; it returns the response, a
 * {@link CompletionStage} of it, or nothing. A method taking a {@link ServerStream} (and at most one request) is a
 * streaming endpoint. {@link #endpoints(String, Object)} says which methods of a handler are
 * endpoints.
 */
final class HandlerMethod {

	private static final Logger logger = LoggerFactory.getLogger(HandlerMethod.class);

	private final String endpoint;

	private final Object bean;

	private final Method method;

	private final @Nullable Type requestType;

	private final Class<?> requestClass;

	private final int requestIndex;

	private final int metadataIndex;

	private final int streamIndex;

	private final boolean async;

	private HandlerMethod(String endpoint, Object bean, Method method) {
		this.endpoint = endpoint;
		this.bean = bean;
		this.method = method;
		Type[] params = method.getGenericParameterTypes();
		int request = -1;
		int metadata = -1;
		int stream = -1;
		for (int i = 0; i < params.length; i++) {
			if (params[i] == ServerStream.class) {
				if (stream >= 0) {
					throw new IllegalArgumentException(describe(method) + ": more than one ServerStream parameter");
				}
				stream = i;
			}
			else if (params[i] == Metadata.class) {
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
		this.streamIndex = stream;
		this.requestType = (request >= 0) ? params[request] : null;
		this.requestClass = rawClass(this.requestType);
		this.async = CompletionStage.class.isAssignableFrom(method.getReturnType());
		method.setAccessible(true);
	}

	/**
	 * The endpoints of {@code bean}, sorted by name. A public instance method of the handler's class (the user class,
	 * never a CGLIB subclass) is an endpoint when
	 * <ul>
	 * <li>that class declares it, or an interface the class implements declares it (a method only inherited from a
	 * superclass is not one);</li>
	 * <li>it takes one request parameter, plus optionally one {@link Metadata} parameter (go-micro's handlers take a
	 * context, a request and a response; a method without request is not an endpoint), or a {@link ServerStream}
	 * with at most one request parameter (a streaming endpoint);</li>
	 * <li>it is not a setter ({@code setX} with one parameter, returning {@code void});</li>
	 * <li>no JDK or Spring type the class extends or implements has a method of its name and parameter count
	 * ({@link Object}'s methods, {@code close}, {@code destroy}, {@code afterPropertiesSet}, {@code Aware} setters,
	 * {@code onApplicationEvent}, ...);</li>
	 * <li>it, or a declaration it overrides, is not annotated {@link NotAnEndpoint}.</li>
	 * </ul>
	 */
	static List<HandlerMethod> endpoints(String handlerName, Object bean) {
		Class<?> type = userClass(bean.getClass());
		Set<Class<?>> interfaces = new LinkedHashSet<>();
		Set<Class<?>> platform = new LinkedHashSet<>();
		collectSupertypes(type, interfaces, platform);
		List<HandlerMethod> result = new ArrayList<>();
		for (Method method : type.getMethods()) {
			String rule = excludedBy(method, type, interfaces, platform);
			if (rule != null) {
				if (logger.isDebugEnabled()) {
					logger.debug("{}.{} is not an endpoint: {}", handlerName, method.getName(), rule);
				}
				continue;
			}
			result.add(new HandlerMethod(handlerName + "." + capitalize(method.getName()), bean, method));
		}
		result.sort((a, b) -> a.endpoint.compareTo(b.endpoint));
		return result;
	}

	/** Why {@code method} is not an endpoint of {@code type}, or {@code null} when it is one. */
	private static @Nullable String excludedBy(Method method, Class<?> type, Set<Class<?>> interfaces,
			Set<Class<?>> platform) {
		if (Modifier.isStatic(method.getModifiers()) || method.isBridge() || method.isSynthetic()) {
			return "static, bridge or synthetic";
		}
		if (method.getDeclaringClass() != type && !declaredByAny(interfaces, method)) {
			return "inherited from " + method.getDeclaringClass().getName();
		}
		int requests = 0;
		int metadata = 0;
		int streams = 0;
		for (Class<?> parameter : method.getParameterTypes()) {
			if (parameter == Metadata.class) {
				metadata++;
			}
			else if (parameter == ServerStream.class) {
				streams++;
			}
			else {
				requests++;
			}
		}
		boolean unary = requests == 1 && streams == 0;
		boolean streaming = streams == 1 && requests <= 1;
		if (!(unary || streaming) || metadata > 1) {
			return "not (Request), (ServerStream) or (Request, ServerStream), each with an optional Metadata";
		}
		if (isSetter(method)) {
			return "a setter";
		}
		for (Class<?> owner : platform) {
			for (Method m : owner.getMethods()) {
				if (m.getName().equals(method.getName()) && m.getParameterCount() == method.getParameterCount()) {
					return "a method of " + owner.getName();
				}
			}
		}
		if (isMarkedNotAnEndpoint(method, type, interfaces)) {
			return "@NotAnEndpoint";
		}
		return null;
	}

	private static boolean isSetter(Method method) {
		String name = method.getName();
		return name.length() > 3 && name.startsWith("set") && Character.isUpperCase(name.charAt(3))
				&& method.getParameterCount() == 1 && method.getReturnType() == void.class;
	}

	private static boolean declaredByAny(Set<Class<?>> types, Method method) {
		for (Class<?> type : types) {
			if (declares(type, method) != null) {
				return true;
			}
		}
		return false;
	}

	private static boolean isMarkedNotAnEndpoint(Method method, Class<?> type, Set<Class<?>> interfaces) {
		if (method.isAnnotationPresent(NotAnEndpoint.class)) {
			return true;
		}
		for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
			Method declared = declares(c, method);
			if (declared != null && declared.isAnnotationPresent(NotAnEndpoint.class)) {
				return true;
			}
		}
		for (Class<?> i : interfaces) {
			Method declared = declares(i, method);
			if (declared != null && declared.isAnnotationPresent(NotAnEndpoint.class)) {
				return true;
			}
		}
		return false;
	}

	private static @Nullable Method declares(Class<?> type, Method method) {
		try {
			return type.getDeclaredMethod(method.getName(), method.getParameterTypes());
		}
		catch (NoSuchMethodException ex) {
			return null;
		}
	}

	/**
	 * Sorts the supertypes of {@code type}: the interfaces of the application (which may declare endpoints) and the
	 * JDK and Spring types (whose methods never are endpoints), {@link Object} included.
	 */
	private static void collectSupertypes(Class<?> type, Set<Class<?>> interfaces, Set<Class<?>> platform) {
		for (Class<?> c = type; c != null; c = c.getSuperclass()) {
			if (c != type && isPlatform(c)) {
				platform.add(c);
			}
			collectInterfaces(c, interfaces, platform);
		}
	}

	private static void collectInterfaces(Class<?> type, Set<Class<?>> interfaces, Set<Class<?>> platform) {
		for (Class<?> i : type.getInterfaces()) {
			if (isPlatform(i) ? platform.add(i) : interfaces.add(i)) {
				collectInterfaces(i, interfaces, platform);
			}
		}
	}

	/** Whether {@code type} belongs to the JDK or to Spring: its methods are never endpoints. */
	private static boolean isPlatform(Class<?> type) {
		String name = type.getName();
		return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jakarta.")
				|| name.startsWith("jdk.") || name.startsWith("sun.") || name.startsWith("org.springframework.")
				|| name.startsWith("kotlin.") || name.startsWith("groovy.");
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

	/** Whether the method takes a {@link ServerStream}: a streaming endpoint. */
	boolean isStream() {
		return this.streamIndex >= 0;
	}

	/**
	 * Invokes the method; unwraps the target's own exception.
	 * @throws MicroException a 500 when {@code request} is not of the method's request type (a wrapper replaced the
	 * body with something else)
	 */
	@Nullable Object invoke(Object request, Metadata metadata) throws Exception {
		return invoke(request, metadata, null);
	}

	/** {@link #invoke(Object, Metadata)} for a streaming endpoint, which gets {@code stream}. */
	@Nullable Object invoke(Object request, Metadata metadata, @Nullable ServerStream stream) throws Exception {
		Object[] args = new Object[this.method.getParameterCount()];
		if (this.requestIndex >= 0) {
			if (!this.requestClass.isInstance(request)) {
				throw MicroException.internalServerError(FailureClassifier.SERVER_ID,
						"%s: the request body is not of the handler's request type", this.endpoint);
			}
			args[this.requestIndex] = request;
		}
		if (this.metadataIndex >= 0) {
			args[this.metadataIndex] = metadata;
		}
		if (this.streamIndex >= 0) {
			if (stream == null) {
				throw MicroException.badRequest(FailureClassifier.SERVER_ID,
						"%s is a streaming endpoint: call it with a stream", this.endpoint);
			}
			args[this.streamIndex] = stream;
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
		if (isStream()) {
			// go-micro marks streaming endpoints so; their answers are messages on the stream, not a return value
			return new Endpoint(this.endpoint, request, null, Map.of("stream", "true"));
		}
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

	private static Class<?> rawClass(@Nullable Type type) {
		Type raw = (type instanceof ParameterizedType pt) ? pt.getRawType() : type;
		if (!(raw instanceof Class<?> cls)) {
			return Object.class;
		}
		if (cls.isPrimitive()) {
			return MethodType.methodType(cls).wrap().returnType();
		}
		return cls;
	}

	private static String describe(Method method) {
		return method.getDeclaringClass().getSimpleName() + "." + method.getName();
	}

}
