/**
 * Spring Cloud bridge: a {@link org.springframework.cloud.client.discovery.DiscoveryClient} over the micro
 * registry, so that Spring Cloud's load balancer and gateway see micro services.
 */
@NullMarked
package io.micro4j.spring.cloud;

import org.jspecify.annotations.NullMarked;
