package io.micro4j.spring.boot.autoconfigure.client;

import java.util.List;

import io.micro4j.spring.client.MicroClientScanner;
import io.micro4j.spring.client.MicroClientsRegistrar;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.ResourceLoaderAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers the {@link io.micro4j.spring.annotation.MicroClient} interfaces of the auto-configuration packages, as
 * Spring Data finds repositories; does nothing when {@link io.micro4j.spring.annotation.EnableMicroClients} scanned
 * explicitly.
 */
final class AutoConfiguredMicroClientsRegistrar
		implements ImportBeanDefinitionRegistrar, BeanFactoryAware, EnvironmentAware, ResourceLoaderAware {

	private @Nullable BeanFactory beanFactory;

	private @Nullable Environment environment;

	private @Nullable ResourceLoader resourceLoader;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void setResourceLoader(ResourceLoader resourceLoader) {
		this.resourceLoader = resourceLoader;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		if (this.beanFactory == null || this.environment == null || this.resourceLoader == null
				|| registry.containsBeanDefinition(MicroClientsRegistrar.EXPLICIT_SCAN_BEAN_NAME)
				|| !AutoConfigurationPackages.has(this.beanFactory)) {
			return;
		}
		List<String> packages = AutoConfigurationPackages.get(this.beanFactory);
		new MicroClientScanner(registry, this.environment, this.resourceLoader).scan(packages);
	}

}
