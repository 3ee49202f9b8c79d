package io.micro4j.spring.boot.autoconfigure.cloud;

import java.util.LinkedHashSet;

import io.micro4j.spring.cloud.MicroDiscoveryClient;
import io.micro4j.spring.cloud.MicroServiceInstanceListSupplier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The default configuration of each load-balancer client (a child context per service, made by Spring Cloud
 * LoadBalancer): the service's {@link ServiceInstanceListSupplier} is a {@link MicroServiceInstanceListSupplier}
 * over the application's {@link MicroDiscoveryClient}. Not component-scanned: {@link MicroLoadBalancerAutoConfiguration}
 * names it.
 */
@Configuration(proxyBeanMethods = false)
public final class MicroLoadBalancerClientConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ServiceInstanceListSupplier microServiceInstanceListSupplier(Environment environment,
			MicroDiscoveryClient discoveryClient, MicroDiscoveryProperties properties) {
		String serviceId = environment.getRequiredProperty(LoadBalancerClientFactory.PROPERTY_NAME);
		return new MicroServiceInstanceListSupplier(serviceId, discoveryClient,
				new LinkedHashSet<>(properties.getLoadBalancer().getProtocols()));
	}

}
