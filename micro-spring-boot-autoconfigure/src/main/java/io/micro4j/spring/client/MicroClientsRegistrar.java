package io.micro4j.spring.client;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.micro4j.spring.annotation.EnableMicroClients;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.ResourceLoaderAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.ClassUtils;

/**
 * Registers the clients named by {@link EnableMicroClients}: the listed interfaces, and those found in the listed
 * packages (the annotated class's package when none are listed). It also registers a marker bean,
 * {@value #EXPLICIT_SCAN_BEAN_NAME}, which turns off the auto-configuration's own scan.
 */
public final class MicroClientsRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, ResourceLoaderAware {

	/** The name of the marker bean that says clients were scanned explicitly. */
	public static final String EXPLICIT_SCAN_BEAN_NAME = "io.micro4j.spring.client.explicitMicroClientScan";

	private @Nullable Environment environment;

	private @Nullable ResourceLoader resourceLoader;

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
		Map<String, @Nullable Object> attributes = metadata.getAnnotationAttributes(EnableMicroClients.class.getName());
		if (attributes == null || this.environment == null || this.resourceLoader == null) {
			return;
		}
		MicroClientScanner scanner = new MicroClientScanner(registry, this.environment, this.resourceLoader);
		for (Class<?> client : (Class<?>[]) attributes.get("clients")) {
			scanner.register(client);
		}
		List<String> packages = new ArrayList<>(Arrays.asList((String[]) attributes.get("basePackages")));
		for (Class<?> type : (Class<?>[]) attributes.get("basePackageClasses")) {
			packages.add(ClassUtils.getPackageName(type));
		}
		if (packages.isEmpty() && ((Class<?>[]) attributes.get("clients")).length == 0) {
			packages.add(ClassUtils.getPackageName(metadata.getClassName()));
		}
		scanner.scan(packages);
		if (!registry.containsBeanDefinition(EXPLICIT_SCAN_BEAN_NAME)) {
			RootBeanDefinition marker = new RootBeanDefinition(ExplicitScan.class);
			marker.setRole(RootBeanDefinition.ROLE_INFRASTRUCTURE);
			registry.registerBeanDefinition(EXPLICIT_SCAN_BEAN_NAME, marker);
		}
	}

	/** The marker bean's type. */
	static final class ExplicitScan {

	}

}
