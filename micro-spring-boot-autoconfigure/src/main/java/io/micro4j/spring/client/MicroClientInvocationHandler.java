package io.micro4j.spring.client;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.Map;

import io.micro4j.client.CallOptions;
import io.micro4j.client.Client;
import io.micro4j.client.ClientStream;
import io.micro4j.client.Request;
import org.jspecify.annotations.Nullable;

/**
 * Turns calls on a {@link io.micro4j.spring.annotation.MicroClient} proxy into {@link Client} calls.
 */
final class MicroClientInvocationHandler implements InvocationHandler {

	private final Class<?> type;

	private final String service;

	private final Client client;

	private final CallOptionsResolver callOptions;

	private final Map<Method, MicroClientMethod> methods;

	MicroClientInvocationHandler(Class<?> type, String service, String handler, Client client,
			CallOptionsResolver callOptions) {
		this.type = type;
		this.service = service;
		this.client = client;
		this.callOptions = callOptions;
		Map<Method, MicroClientMethod> map = new LinkedHashMap<>();
		for (Method method : type.getMethods()) {
			if (Modifier.isAbstract(method.getModifiers()) && !Modifier.isStatic(method.getModifiers())) {
				map.put(method, MicroClientMethod.of(handler, method));
			}
		}
		this.methods = Map.copyOf(map);
	}

	@Override
	public @Nullable Object invoke(Object proxy, Method method, @Nullable Object[] args) throws Throwable {
		if (method.getDeclaringClass() == Object.class) {
			return switch (method.getName()) {
				case "equals" -> proxy == args[0];
				case "hashCode" -> System.identityHashCode(proxy);
				case "toString" -> toString();
				default -> throw new UnsupportedOperationException(method.toString());
			};
		}
		if (method.isDefault()) {
			return InvocationHandler.invokeDefault(proxy, method, args);
		}
		MicroClientMethod plan = this.methods.get(method);
		if (plan == null) {
			throw new UnsupportedOperationException(method.toString());
		}
		Request request = plan.request(this.service, args);
		CallOptions options = this.callOptions.callOptions(this.service);
		if (plan.idempotent()) {
			options = options.toBuilder().idempotent(true).build();
		}
		if (plan.stream()) {
			ClientStream stream = this.client.stream(request, options);
			if (plan.bodyIndex() >= 0) {
				try {
					stream.send(request.body());
					stream.closeSend();
				}
				catch (RuntimeException ex) {
					stream.close();
					throw ex;
				}
			}
			return stream;
		}
		if (plan.async()) {
			return this.client.callAsync(request, plan.responseType(), options);
		}
		return this.client.call(request, plan.responseType(), options);
	}

	@Override
	public String toString() {
		return "MicroClient proxy for " + this.type.getName() + " (service " + this.service + ")";
	}

}
