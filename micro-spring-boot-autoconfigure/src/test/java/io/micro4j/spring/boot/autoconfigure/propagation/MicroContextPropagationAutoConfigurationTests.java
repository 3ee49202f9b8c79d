package io.micro4j.spring.boot.autoconfigure.propagation;

import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.micro4j.metadata.CallContext;
import io.micro4j.metadata.Metadata;
import io.micrometer.context.ContextSnapshot;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;

import static org.assertj.core.api.Assertions.assertThat;

class MicroContextPropagationAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(TaskExecutionAutoConfiguration.class, MicroContextPropagationAutoConfiguration.class));

	private final CallContext tenant1 = CallContext.of(Metadata.of("X-Tenant", "t1"), null);

	@Test
	void whenContextPropagationIsOnTheClasspathThenTheDecoratorIsRegistered() {
		this.runner.run(context -> assertThat(context).hasSingleBean(ContextPropagatingTaskDecorator.class)
			.hasBean("microContextPropagatingTaskDecorator"));
	}

	@Test
	void whenTaskExecutionIsAutoConfiguredThenTheApplicationTaskExecutorCarriesTheCallContext() {
		this.runner.run(context -> {
			AsyncTaskExecutor executor = context.getBean("applicationTaskExecutor", AsyncTaskExecutor.class);
			assertThat(tenantSeenBy(executor)).isEqualTo("t1");
		});
	}

	@Test
	void whenTheApplicationDefinesAContextPropagatingTaskDecoratorThenItIsUsed() {
		this.runner.withBean("userDecorator", ContextPropagatingTaskDecorator.class)
			.run(context -> assertThat(context).hasSingleBean(ContextPropagatingTaskDecorator.class)
				.hasBean("userDecorator"));
	}

	@Test
	void whenSpringBootPropagatesContextThenNoSecondDecoratorIsRegistered() {
		this.runner.withPropertyValues("spring.task.execution.propagate-context=true").run(context -> {
			assertThat(context).hasSingleBean(ContextPropagatingTaskDecorator.class)
				.doesNotHaveBean("microContextPropagatingTaskDecorator");
			assertThat(tenantSeenBy(context.getBean("applicationTaskExecutor", AsyncTaskExecutor.class)))
				.isEqualTo("t1");
		});
	}

	@Test
	void whenTheApplicationHasAnotherTaskDecoratorThenBothApply() {
		TaskDecorator marking = task -> () -> {
			try (CallContext.Scope scope = CallContext.current()
				.withMetadata(Metadata.of("X-Decorated", "yes"))
				.makeCurrent()) {
				task.run();
			}
		};
		this.runner.withBean("markingDecorator", TaskDecorator.class, () -> marking).run(context -> {
			AsyncTaskExecutor executor = context.getBean("applicationTaskExecutor", AsyncTaskExecutor.class);
			Future<Metadata> seen;
			try (CallContext.Scope scope = this.tenant1.makeCurrent()) {
				seen = executor.submit(() -> CallContext.current().metadata());
			}
			assertThat(seen.get(5, TimeUnit.SECONDS).asMap()).containsEntry("X-Tenant", "t1")
				.containsEntry("X-Decorated", "yes");
		});
	}

	@Test
	void whenContextPropagationIsMissingThenNoDecoratorIsRegistered() {
		this.runner.withClassLoader(new FilteredClassLoader(ContextSnapshot.class))
			.run(context -> assertThat(context).doesNotHaveBean(ContextPropagatingTaskDecorator.class));
	}

	private String tenantSeenBy(AsyncTaskExecutor executor) throws Exception {
		Future<String> seen;
		try (CallContext.Scope scope = this.tenant1.makeCurrent()) {
			seen = executor.submit(() -> CallContext.current().metadata().getOrNull("X-Tenant"));
		}
		return seen.get(5, TimeUnit.SECONDS);
	}

}
