package io.micro4j.spring.dashboard;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.micro4j.client.CallOptions;
import io.micro4j.registry.Registry;
import io.micro4j.registry.RegistryException;
import io.micro4j.registry.RegistryListener;
import io.micro4j.registry.Service;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import tools.jackson.databind.json.JsonMapper;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** The controller on its own (MockMvc): a registry that cannot be reached, and a moved path. */
class DashboardControllerTests {

	private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

	@AfterEach
	void stop() {
		this.timer.shutdownNow();
	}

	@Test
	void whenTheRegistryCannotBeReachedThenTheListIsItsGoMicroError() throws Exception {
		MockMvc mvc = mvc(new UnreachableRegistry(), "/micro");

		mvc.perform(get("/micro/api/services"))
			.andExpect(status().isInternalServerError())
			.andExpect(content().json("{\"id\":\"go.micro.registry\",\"code\":500,\"detail\":\"etcd: connection refused\","
					+ "\"status\":\"Internal Server Error\"}"));
		mvc.perform(get("/micro/api/services/greeter")).andExpect(status().isInternalServerError());
	}

	@Test
	void whenThePathIsMovedThenThePageAndTheRedirectFollow() throws Exception {
		MockMvc mvc = mvc(new UnreachableRegistry(), "/ops/micro");

		mvc.perform(get("/ops/micro")).andExpect(status().isFound()).andExpect(header().string("Location", "micro/"));
		mvc.perform(get("/ops/micro/")).andExpect(status().isOk()).andExpect(content().contentType("text/html;charset=UTF-8"));
		mvc.perform(get("/micro/")).andExpect(status().isNotFound());
	}

	private MockMvc mvc(Registry registry, String path) {
		DashboardSettings settings = new DashboardSettings(path, Duration.ofSeconds(1), 1024, 1, Duration.ofSeconds(1));
		DashboardCalls calls = new DashboardCalls(new RecordingClient(), (service) -> CallOptions.defaults(),
				JsonMapper.builder().build(), settings.callTimeout());
		DashboardEvents events = new DashboardEvents(registry, this.timer, Runnable::run, 1, Duration.ofSeconds(1));
		return MockMvcBuilders.standaloneSetup(new DashboardController(registry, calls, events, settings))
			.addPlaceholderValue("micro.dashboard.path", path)
			.build();
	}

	private static final class UnreachableRegistry implements Registry {

		@Override
		public String name() {
			return "etcd";
		}

		@Override
		public void register(Service service, Duration ttl) {
			throw new RegistryException("etcd: connection refused");
		}

		@Override
		public void deregister(Service service) {
			throw new RegistryException("etcd: connection refused");
		}

		@Override
		public List<Service> getService(String name) {
			throw new RegistryException("etcd: connection refused");
		}

		@Override
		public List<Service> listServices() {
			throw new RegistryException("etcd: connection refused");
		}

		@Override
		public Watch watch(String service, RegistryListener listener) {
			throw new RegistryException("etcd: connection refused");
		}

		@Override
		public void close() {
		}

	}

}
