package io.micro4j.spring.boot.autoconfigure.cloud;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.micro4j.registry.Node;
import io.micro4j.registry.Registry;
import io.micro4j.registry.Service;
import io.micro4j.spring.boot.autoconfigure.WithoutSpringSecurity;
import io.micro4j.spring.cloud.MicroAutoServiceRegistration;
import io.micro4j.spring.cloud.MicroRegistration;
import io.micro4j.spring.cloud.MicroServiceInstanceListSupplier;
import io.micro4j.spring.cloud.MicroServiceRegistry;
import io.micro4j.test.etcd.EtcdServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Two plain Spring MVC applications register their web ports in a real etcd through the Spring Cloud
 * {@code ServiceRegistry} bridge ({@code protocol=http}); a third application calls them with a {@code @LoadBalanced}
 * {@link RestClient.Builder} over micro4j's {@code DiscoveryClient}; one of them stops and the calls move to the
 * other.
 */
class SpringCloudLoadBalancerIntegrationTests {

	private static final Logger logger = LoggerFactory.getLogger(SpringCloudLoadBalancerIntegrationTests.class);

	private static final int CALLS = 40;

	@RegisterExtension
	static final EtcdServer etcd = new EtcdServer();

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	@AfterEach
	void closeAll() {
		this.contexts.forEach(ConfigurableApplicationContext::close);
	}

	private ConfigurableApplicationContext start(Class<?> application, WebApplicationType type, String... properties) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(application).web(type)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties("micro.registry.type=etcd", "micro.registry.address=" + etcd.address(),
					"micro.server.enabled=false", "server.port=0", "server.address=127.0.0.1",
					"spring.main.register-shutdown-hook=false", WithoutSpringSecurity.PROPERTY)
			.properties(properties)
			.run();
		this.contexts.add(context);
		return context;
	}

	private ConfigurableApplicationContext startWhoami(String instance) {
		return start(WhoamiApp.class, WebApplicationType.SERVLET, "spring.application.name=whoami",
				"whoami.instance=" + instance, "micro.server.deregister-delay=500ms");
	}

	@Test
	void whenTwoWebAppsRegisterThenALoadBalancedRestClientReachesBothAndOnlyTheSurvivorAfterOneStops()
			throws Exception {
		ConfigurableApplicationContext a = startWhoami("a");
		ConfigurableApplicationContext b = startWhoami("b");
		ConfigurableApplicationContext caller = start(CallerApp.class, WebApplicationType.NONE);
		RestClient client = caller.getBean(RestClient.Builder.class).build();

		// both registered, as go-micro records: etcd holds them, micro's registry lists them with protocol=http
		String nodeA = registration(a).getInstanceId();
		String nodeB = registration(b).getInstanceId();
		assertThat(nodeA).startsWith("whoami-").isNotEqualTo(nodeB);
		String records = etcd.etcdctl("get", "--prefix", "/micro/registry/whoami/");
		assertThat(records).contains("/micro/registry/whoami/" + nodeA, "/micro/registry/whoami/" + nodeB,
				"\"name\":\"whoami\"", "\"version\":\"latest\"", "\"endpoints\":null", "\"protocol\":\"http\"", "\"server\":\"http\"",
				"\"transport\":\"http\"", "\"registry\":\"etcd\"",
				"\"address\":\"127.0.0.1:" + port(a) + "\"", "\"address\":\"127.0.0.1:" + port(b) + "\"");
		List<Service> services = caller.getBean(Registry.class).getService("whoami");
		assertThat(services).singleElement()
			.satisfies(service -> assertThat(service.nodes()).extracting(Node::id)
				.containsExactlyInAnyOrder(nodeA, nodeB))
			.satisfies(service -> assertThat(service.nodes())
				.allSatisfy(node -> assertThat(node.metadata()).containsEntry("protocol", "http")));

		// a mucp node of the same service (nothing listens on port 1): the load balancer never chooses it
		caller.getBean(Registry.class)
			.register(Service.of("whoami", "latest",
					List.of(new Node("whoami-mucp", "127.0.0.1:1", Map.of("protocol", "mucp")))), Duration.ofMinutes(1));
		assertThat(caller.getBean(LoadBalancerClientFactory.class)
			.getInstance("whoami", ServiceInstanceListSupplier.class)).isInstanceOf(MicroServiceInstanceListSupplier.class);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> caller.getBean(DiscoveryClient.class).getInstances("whoami").size() == 3);

		Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
		await().atMost(Duration.ofSeconds(10)).until(() -> call(client, answers) != null);
		answers.clear();
		for (int i = 0; i < CALLS; i++) {
			assertThat(call(client, answers)).isNotNull();
		}
		logger.info("{} calls with both apps up: {}", CALLS, answers);
		assertThat(answers.keySet()).containsExactlyInAnyOrder("a", "b");
		assertThat(answers.get("a").get() + answers.get("b").get()).isEqualTo(CALLS);

		// a caller keeps calling while app a stops: no call fails, and after the stop only b answers
		answers.clear();
		List<String> failures = new CopyOnWriteArrayList<>();
		List<String> afterStop = new CopyOnWriteArrayList<>();
		AtomicBoolean stopped = new AtomicBoolean();
		AtomicBoolean done = new AtomicBoolean();
		Thread calling = new Thread(() -> {
			while (!done.get()) {
				try {
					String who = client.get().uri("http://whoami/whoami").retrieve().body(String.class);
					answers.computeIfAbsent(who, (key) -> new AtomicInteger()).incrementAndGet();
					if (stopped.get()) {
						afterStop.add(who);
					}
				}
				catch (RuntimeException ex) {
					failures.add(ex.toString());
				}
			}
		}, "whoami-caller");
		calling.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> answers.values().stream().mapToInt(AtomicInteger::get).sum() >= 10);
		long closing = System.nanoTime();
		a.close();
		long closeMillis = (System.nanoTime() - closing) / 1_000_000;
		stopped.set(true);
		await().atMost(Duration.ofSeconds(10)).until(() -> afterStop.size() >= CALLS);
		done.set(true);
		calling.join(10_000);

		logger.info("while a stopped ({} ms): answers {}, {} calls after the stop, failures {}", closeMillis, answers,
				afterStop.size(), failures);
		assertThat(failures).isEmpty();
		assertThat(afterStop).hasSizeGreaterThanOrEqualTo(CALLS).containsOnly("b");
		assertThat(etcd.etcdctl("get", "--prefix", "--keys-only", "/micro/registry/whoami/"))
			.doesNotContain(nodeA)
			.contains(nodeB);
	}

	@Test
	void whenSpringCloudsOwnCachingChainIsUsedThenANodeThatLeftIsStillChosenUntilTheCacheTtlEnds() {
		ConfigurableApplicationContext a = startWhoami("a");
		startWhoami("b");
		ConfigurableApplicationContext caller = start(CallerApp.class, WebApplicationType.NONE,
				"micro.discovery.load-balancer.enabled=false", "spring.cloud.loadbalancer.cache.ttl=10s");
		RestClient client = caller.getBean(RestClient.Builder.class).build();
		ServiceInstanceListSupplier supplier = caller.getBean(LoadBalancerClientFactory.class)
			.getInstance("whoami", ServiceInstanceListSupplier.class);
		assertThat(supplier).isNotInstanceOf(MicroServiceInstanceListSupplier.class);
		Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			call(client, answers);
			return answers.containsKey("a") && answers.containsKey("b");
		});
		MicroRegistration leaving = registration(a);
		DiscoveryClient discovery = caller.getBean(DiscoveryClient.class);

		// a leaves the registry but keeps serving: the discovery client (watch-fed) drops it at once, the load
		// balancer's cached list keeps it until the TTL ends, and calls still go to a meanwhile
		long leaving0 = System.nanoTime();
		a.getBean(MicroServiceRegistry.class).setStatus(leaving, MicroServiceRegistry.OUT_OF_SERVICE);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> discovery.getInstances("whoami").stream().noneMatch(instance -> isNode(instance, leaving)));
		long discoveryMillis = (System.nanoTime() - leaving0) / 1_000_000;
		assertThat(supplier.get().blockFirst(Duration.ofSeconds(5))).anyMatch(instance -> isNode(instance, leaving));
		Map<String, AtomicInteger> stale = new ConcurrentHashMap<>();
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
			call(client, stale);
			return supplier.get().blockFirst(Duration.ofSeconds(5)).stream().noneMatch(instance -> isNode(instance, leaving));
		});
		long balancerMillis = (System.nanoTime() - leaving0) / 1_000_000;
		Map<String, AtomicInteger> after = new ConcurrentHashMap<>();
		for (int i = 0; i < CALLS; i++) {
			call(client, after);
		}
		logger.info("default chain (cache ttl 10s): discovery client dropped a after {} ms, the load balancer after {} ms;"
				+ " answers meanwhile {}, then {}", discoveryMillis, balancerMillis, stale, after);
		assertThat(stale).containsKey("a");
		assertThat(after).containsOnlyKeys("b");
		assertThat(after.get("b").get()).isEqualTo(CALLS);
	}

	private static boolean isNode(ServiceInstance instance, MicroRegistration registration) {
		return instance.getInstanceId().equals(registration.getInstanceId());
	}

	@Test
	void whenTheWebNodeIsSetOutOfServiceThenItLeavesTheRegistryAndComesBackWhenUpAndEtcdOutagesReadAsDown() {
		ConfigurableApplicationContext a = start(WhoamiApp.class, WebApplicationType.SERVLET,
				"spring.application.name=whoami", "whoami.instance=a", "micro.server.register-interval=1s",
				"micro.server.register-ttl=10s");
		MicroServiceRegistry registry = a.getBean(MicroServiceRegistry.class);
		MicroRegistration registration = registration(a);
		await().atMost(Duration.ofSeconds(5)).until(() -> MicroServiceRegistry.UP.equals(registry.getStatus(registration)));

		registry.setStatus(registration, "out_of_service");

		assertThat((String) registry.getStatus(registration)).isEqualTo(MicroServiceRegistry.OUT_OF_SERVICE);
		assertThat(etcd.etcdctl("get", "--prefix", "--keys-only", "/micro/registry/whoami/"))
			.doesNotContain(registration.getInstanceId());

		registry.setStatus(registration, "UP");

		assertThat((String) registry.getStatus(registration)).isEqualTo(MicroServiceRegistry.UP);
		assertThat(etcd.etcdctl("get", "--prefix", "--keys-only", "/micro/registry/whoami/"))
			.contains(registration.getInstanceId());

		// etcd down: the renewal fails (DOWN) and is retried; etcd back: the node is registered again (UP)
		etcd.kill();
		try {
			await().atMost(Duration.ofSeconds(30))
				.until(() -> MicroServiceRegistry.DOWN.equals(registry.getStatus(registration)));
		}
		finally {
			etcd.restart();
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> MicroServiceRegistry.UP.equals(registry.getStatus(registration)));
		assertThat(etcd.etcdctl("get", "--prefix", "--keys-only", "/micro/registry/whoami/"))
			.contains(registration.getInstanceId());
	}

	@Test
	void whenTheAppRunsAMicroServerOfTheSameNameThenItsWebPortIsNotRegisteredUnlessNamedApart() {
		ConfigurableApplicationContext same = start(WhoamiApp.class, WebApplicationType.SERVLET,
				"spring.application.name=greeter", "whoami.instance=a", "micro.server.enabled=true",
				"micro.server.address=127.0.0.1:0");
		assertThat(same.getBean(MicroAutoServiceRegistration.class).registration()).isEmpty();
		assertThat(etcd.etcdctl("get", "--prefix", "/micro/registry/greeter/")).contains("\"protocol\":\"mucp\"")
			.doesNotContain("\"protocol\":\"http\"");
		same.close();

		ConfigurableApplicationContext apart = start(WhoamiApp.class, WebApplicationType.SERVLET,
				"spring.application.name=greeter", "whoami.instance=a", "micro.server.enabled=true",
				"micro.server.address=127.0.0.1:0", "micro.discovery.web-service-name=greeter-web");
		MicroRegistration web = registration(apart);
		assertThat(web.getServiceId()).isEqualTo("greeter-web");
		assertThat(etcd.etcdctl("get", "--prefix", "/micro/registry/greeter-web/"))
			.contains(web.getInstanceId(), "\"protocol\":\"http\"", "\"address\":\"127.0.0.1:" + port(apart) + "\"");
		assertThat(etcd.etcdctl("get", "--prefix", "/micro/registry/greeter/")).contains("\"protocol\":\"mucp\"")
			.doesNotContain("\"protocol\":\"http\"");
	}

	@Test
	void whenTheWebServiceNameIsTheMicroServersThenTheStartFailsAndSaysWhy() {
		assertThatThrownBy(() -> start(WhoamiApp.class, WebApplicationType.SERVLET, "spring.application.name=greeter",
				"whoami.instance=a", "micro.server.enabled=true", "micro.server.address=127.0.0.1:0",
				"micro.discovery.web-service-name=greeter"))
			.hasStackTraceContaining("micro.discovery.web-service-name: \"greeter\" (expected: a name other than");
		assertThat(etcd.etcdctl("get", "--prefix", "--keys-only", "/micro/registry/greeter/")).isBlank();
	}

	private static MicroRegistration registration(ConfigurableApplicationContext context) {
		return context.getBean(MicroAutoServiceRegistration.class).registration().orElseThrow();
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	/** One call; its answer counted, or {@code null} when it failed. */
	private static String call(RestClient client, Map<String, AtomicInteger> answers) {
		try {
			String who = client.get().uri("http://whoami/whoami").retrieve().body(String.class);
			answers.computeIfAbsent(who, (key) -> new AtomicInteger()).incrementAndGet();
			return who;
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@RestController
	static class WhoamiApp {

		@Value("${whoami.instance}")
		private String instance;

		@GetMapping("/whoami")
		String whoami() {
			return this.instance;
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class CallerApp {

		@Bean
		@LoadBalanced
		RestClient.Builder loadBalancedRestClientBuilder() {
			SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
			requests.setConnectTimeout(Duration.ofSeconds(2));
			requests.setReadTimeout(Duration.ofSeconds(5));
			return RestClient.builder().requestFactory(requests);
		}

	}

}
