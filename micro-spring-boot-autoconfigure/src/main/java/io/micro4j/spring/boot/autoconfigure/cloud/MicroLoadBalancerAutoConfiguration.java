package io.micro4j.spring.boot.autoconfigure.cloud;

import io.micro4j.spring.cloud.MicroDiscoveryClient;
import io.micro4j.spring.cloud.MicroServiceInstanceListSupplier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;

/**
 * Auto-configuration of Spring Cloud LoadBalancer over the micro registry, when {@code spring-cloud-loadbalancer}
 * is on the classpath, there is a {@link MicroDiscoveryClient} and neither {@code spring.cloud.loadbalancer.enabled}
 * nor {@code micro.discovery.load-balancer.enabled} is {@code false}. Makes
 * {@link MicroLoadBalancerClientConfiguration} the default configuration of every load-balancer client: each
 * service's instances come from a {@link MicroServiceInstanceListSupplier} (the watch-fed registry cache, no
 * 35-second list cache, only nodes whose {@code protocol} is one of {@code micro.discovery.load-balancer.protocols})
 * unless a client's own configuration defines a {@link ServiceInstanceListSupplier}.
 */
@AutoConfiguration(after = MicroDiscoveryClientAutoConfiguration.class,
		beforeName = "org.springframework.cloud.loadbalancer.config.LoadBalancerAutoConfiguration")
@ConditionalOnClass({ ServiceInstanceListSupplier.class, LoadBalancerClients.class })
@ConditionalOnBean(MicroDiscoveryClient.class)
@ConditionalOnBooleanProperty(name = "spring.cloud.loadbalancer.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "micro.discovery.load-balancer.enabled", matchIfMissing = true)
@LoadBalancerClients(defaultConfiguration = MicroLoadBalancerClientConfiguration.class)
public final class MicroLoadBalancerAutoConfiguration {

}
