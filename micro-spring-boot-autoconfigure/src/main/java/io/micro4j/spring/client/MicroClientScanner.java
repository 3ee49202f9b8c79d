package io.micro4j.spring.client;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

import io.micro4j.spring.annotation.MicroClient;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

/**
 * Finds {@link MicroClient} interfaces in packages and registers a {@link MicroClientFactoryBean} definition for
 * each, named after the interface's fully qualified name. An interface already registered is left alone, so
 * overlapping scans are harmless.
 */
public final class MicroClientScanner {

	private final BeanDefinitionRegistry registry;

	private final ClassPathScanningCandidateComponentProvider provider;

	private final ClassLoader classLoader;

	/** A scanner registering into {@code registry}. */
	public MicroClientScanner(BeanDefinitionRegistry registry, Environment environment, ResourceLoader resourceLoader) {
		this.registry = registry;
		this.classLoader = (resourceLoader.getClassLoader() != null) ? resourceLoader.getClassLoader()
				: ClassUtils.getDefaultClassLoader();
		this.provider = new ClassPathScanningCandidateComponentProvider(false, environment) {

			@Override
			protected boolean isCandidateComponent(AnnotatedBeanDefinition definition) {
				return definition.getMetadata().isInterface() && definition.getMetadata().isIndependent()
						&& !definition.getMetadata().isAnnotation();
			}

		};
		this.provider.setResourceLoader(resourceLoader);
		this.provider.addIncludeFilter(new AnnotationTypeFilter(MicroClient.class, true, true));
	}

	/**
	 * Scans {@code basePackages} and registers every client found.
	 * @return the names of the interfaces found, registered now or before
	 */
	public Set<String> scan(Collection<String> basePackages) {
		Set<String> found = new LinkedHashSet<>();
		for (String basePackage : basePackages) {
			for (BeanDefinition candidate : this.provider.findCandidateComponents(basePackage)) {
				String className = candidate.getBeanClassName();
				if (className != null) {
					register(ClassUtils.resolveClassName(className, this.classLoader));
					found.add(className);
				}
			}
		}
		return found;
	}

	/**
	 * Registers the proxy of one client interface unless a bean of that name exists.
	 * @throws IllegalArgumentException if {@code type} is not a {@link MicroClient} interface
	 */
	public void register(Class<?> type) {
		String beanName = type.getName();
		if (this.registry.containsBeanDefinition(beanName)) {
			return;
		}
		if (!type.isInterface() || !type.isAnnotationPresent(MicroClient.class)) {
			throw new IllegalArgumentException(
					"client: " + type.getName() + " (expected: an interface annotated with @MicroClient)");
		}
		RootBeanDefinition definition = new RootBeanDefinition(MicroClientFactoryBean.class);
		definition.getConstructorArgumentValues().addGenericArgumentValue(type);
		definition.setAttribute(FactoryBean.OBJECT_TYPE_ATTRIBUTE, type);
		definition.setSource(type);
		this.registry.registerBeanDefinition(beanName, definition);
	}

}
