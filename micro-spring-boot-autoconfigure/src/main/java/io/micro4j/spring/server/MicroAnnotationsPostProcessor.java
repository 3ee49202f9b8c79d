package io.micro4j.spring.server;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.micro4j.server.Server;
import io.micro4j.spring.annotation.MicroHandler;
import io.micro4j.spring.annotation.MicroSubscriber;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Collects {@link MicroHandler} beans and {@link MicroSubscriber} methods as beans are initialised, and hands them
 * to a {@link Server} with {@link #applyTo(Server)} before it starts.
 * <p>
 * Proxied beans keep their proxies: the handler object and the subscriber's target are the beans as the context
 * exposes them, and subscriber methods are resolved on the proxy class.
 */
public final class MicroAnnotationsPostProcessor implements BeanPostProcessor, EnvironmentAware {

	private final List<HandlerRegistration> handlers = new ArrayList<>();

	private final List<SubscriberRegistration> subscribers = new ArrayList<>();

	private @Nullable Environment environment;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		MicroHandler handler = AnnotatedElementUtils.findMergedAnnotation(targetClass, MicroHandler.class);
		if (handler != null) {
			String name = StringUtils.hasText(handler.value()) ? handler.value().trim()
					: ClassUtils.getUserClass(targetClass).getSimpleName();
			synchronized (this) {
				this.handlers.add(new HandlerRegistration(name, bean, beanName));
			}
		}
		Map<Method, MicroSubscriber> methods = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<MicroSubscriber>) method -> AnnotatedElementUtils
					.findMergedAnnotation(method, MicroSubscriber.class));
		methods.forEach((method, subscriber) -> {
			Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
			String topic = resolve(subscriber.topic());
			if (!StringUtils.hasText(topic)) {
				throw new IllegalStateException("@MicroSubscriber on " + targetClass.getName() + "." + method.getName()
						+ ": topic is empty (expected: a topic name)");
			}
			String queue = resolve(subscriber.queue());
			synchronized (this) {
				this.subscribers.add(new SubscriberRegistration(topic.trim(),
						StringUtils.hasText(queue) ? queue.trim() : null, bean, invocable, beanName));
			}
		});
		return bean;
	}

	private String resolve(String value) {
		return (this.environment != null) ? this.environment.resolveRequiredPlaceholders(value) : value;
	}

	/** The handlers collected so far, in bean initialisation order. */
	public synchronized List<HandlerRegistration> handlers() {
		return List.copyOf(this.handlers);
	}

	/** The subscribers collected so far, in bean initialisation order. */
	public synchronized List<SubscriberRegistration> subscribers() {
		return List.copyOf(this.subscribers);
	}

	/** Adds every collected handler and subscriber to {@code server}, which must not have started yet. */
	public void applyTo(Server server) {
		for (HandlerRegistration handler : handlers()) {
			server.handle(handler.name(), handler.bean());
		}
		for (SubscriberRegistration subscriber : subscribers()) {
			server.subscribe(subscriber.topic(), subscriber.queue(), subscriber.bean(), subscriber.method());
		}
	}

	/**
	 * A {@link MicroHandler} bean.
	 *
	 * @param name the handler name, the first half of its endpoint names
	 * @param bean the bean
	 * @param beanName the bean's name in the context
	 */
	public record HandlerRegistration(String name, Object bean, String beanName) {

		public HandlerRegistration {
			Objects.requireNonNull(name, "name");
			Objects.requireNonNull(bean, "bean");
		}

	}

	/**
	 * A {@link MicroSubscriber} method.
	 *
	 * @param topic the topic, placeholders resolved
	 * @param queue the queue group, or {@code null} for broadcast
	 * @param bean the bean the method is invoked on
	 * @param method the method, invocable on {@code bean}
	 * @param beanName the bean's name in the context
	 */
	public record SubscriberRegistration(String topic, @Nullable String queue, Object bean, Method method,
			String beanName) {

		public SubscriberRegistration {
			Objects.requireNonNull(topic, "topic");
			Objects.requireNonNull(bean, "bean");
			Objects.requireNonNull(method, "method");
		}

	}

}
