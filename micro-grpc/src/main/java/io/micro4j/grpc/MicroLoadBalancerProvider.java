package io.micro4j.grpc;

import java.util.Map;

import io.grpc.LoadBalancer;
import io.grpc.LoadBalancerProvider;
import io.grpc.NameResolver;

/**
 * Load-balancing policy {@code micro}: picks the node of each call with micro4j's selector (its strategy, filters,
 * outlier ejection and in-flight bound) among the nodes whose connection is ready, and reports how each call ended
 * back to the selector. {@code micro:///} targets select it through their service config; it takes no
 * configuration.
 */
public final class MicroLoadBalancerProvider extends LoadBalancerProvider {

	/** The policy name. */
	public static final String POLICY = "micro";

	@Override
	public boolean isAvailable() {
		return true;
	}

	@Override
	public int getPriority() {
		return 5;
	}

	@Override
	public String getPolicyName() {
		return POLICY;
	}

	@Override
	public LoadBalancer newLoadBalancer(LoadBalancer.Helper helper) {
		return new MicroLoadBalancer(helper);
	}

	@Override
	public NameResolver.ConfigOrError parseLoadBalancingPolicyConfig(Map<String, ?> rawConfig) {
		return NameResolver.ConfigOrError.fromConfig(POLICY);
	}

}
