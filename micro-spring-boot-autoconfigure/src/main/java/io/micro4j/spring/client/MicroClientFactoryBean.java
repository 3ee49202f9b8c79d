package io.micro4j.spring.client;

import java.lang.reflect.Proxy;
import java.util.Objects;

import io.micro4j.client.Client;
import io.micro4j.spring.annotation.MicroClient;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Creates the proxy of one {@link MicroClient} interface over the context's {@link Client} and
 * {@link CallOptionsResolver} (the client's default options when there is none).
 *
 * @param <T> the client interface
 */
public final class MicroClientFactoryBean<T> implements FactoryBean<T>, BeanFactoryAware, EnvironmentAware {

	private static final String CLIENT_SUFFIX = "Client";

	private final Class<T> type;

	private @Nullable BeanFactory beanFactory;

	private @Nullable Environment environment;

	/**
	 * A factory for the proxy of {@code type}.
	 * @throws IllegalArgumentException if {@code type} is not an interface annotated with {@link MicroClient}
	 */
	public MicroClientFactoryBean(Class<T> type) {
		Objects.requireNonNull(type, "type");
		if (!type.isInterface() || !AnnotatedElementUtils.hasAnnotation(type, MicroClient.class)) {
			throw new IllegalArgumentException(
					"type: " + type.getName() + " (expected: an interface annotated with @MicroClient)");
		}
		this.type = type;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) throws BeansException {
		this.beanFactory = beanFactory;
	}

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public T getObject() {
		BeanFactory factory = Objects.requireNonNull(this.beanFactory, "beanFactory");
		MicroClient annotation = Objects.requireNonNull(
				AnnotatedElementUtils.findMergedAnnotation(this.type, MicroClient.class), "@MicroClient");
		String service = serviceName(annotation);
		Client client = factory.getBean(Client.class);
		CallOptionsResolver callOptions = factory.getBeanProvider(CallOptionsResolver.class)
			.getIfAvailable(() -> s -> client.defaultCallOptions());
		MicroClientInvocationHandler handler = new MicroClientInvocationHandler(this.type, service,
				handlerName(this.type, annotation), client, callOptions);
		return this.type.cast(Proxy.newProxyInstance(this.type.getClassLoader(), new Class<?>[] { this.type }, handler));
	}

	@Override
	public Class<T> getObjectType() {
		return this.type;
	}

	private String serviceName(MicroClient annotation) {
		String raw = annotation.value();
		String service = (this.environment != null) ? this.environment.resolveRequiredPlaceholders(raw) : raw;
		if (!StringUtils.hasText(service)) {
			throw new IllegalStateException("@MicroClient on " + this.type.getName()
					+ ": service name is empty (expected: e.g. @MicroClient(\"greeter\"))");
		}
		return service.trim();
	}

	/**
	 * The handler name of client interface {@code type}: the annotation's {@code handler}, else the simple name
	 * without a trailing {@code Client}.
	 */
	static String handlerName(Class<?> type, MicroClient annotation) {
		if (StringUtils.hasText(annotation.handler())) {
			return annotation.handler().trim();
		}
		String simpleName = type.getSimpleName();
		if (simpleName.endsWith(CLIENT_SUFFIX) && simpleName.length() > CLIENT_SUFFIX.length()) {
			return simpleName.substring(0, simpleName.length() - CLIENT_SUFFIX.length());
		}
		return simpleName;
	}

}
