package io.micro4j.spring.boot.autoconfigure.propagation;

import io.micrometer.context.ContextSnapshot;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;

/**
 * Auto-configuration of context propagation into Spring's task executors. Registers
 * {@code microContextPropagatingTaskDecorator}, a {@link ContextPropagatingTaskDecorator}, unless a bean of that type
 * exists (Spring Boot defines one when {@code spring.task.execution.propagate-context=true}).
 * <p>
 * Spring Boot's task execution auto-configuration applies every {@link org.springframework.core.task.TaskDecorator}
 * bean to the executors it builds ({@code applicationTaskExecutor}, the one {@code @Async} methods run on, and any
 * built from the {@code ThreadPoolTaskExecutorBuilder} or {@code SimpleAsyncTaskExecutorBuilder} beans), so a task
 * they run sees what was current where it was submitted: the micro4j
 * {@link io.micro4j.metadata.CallContext call context} (incoming metadata and deadline), the current observation and
 * with it the trace. An outgoing micro call made from such a task inherits the metadata, trace and deadline of the
 * call being handled.
 * <p>
 * Executors the application builds itself are not decorated: wrap them with
 * {@link io.micrometer.context.ContextExecutorService#wrap(java.util.concurrent.ExecutorService)
 * ContextExecutorService.wrap(...)} or set the decorator on them. To turn the decoration off, exclude this
 * auto-configuration.
 */
@AutoConfiguration(afterName = "org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration")
@ConditionalOnClass({ ContextSnapshot.class, ContextPropagatingTaskDecorator.class })
public final class MicroContextPropagationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(ContextPropagatingTaskDecorator.class)
	ContextPropagatingTaskDecorator microContextPropagatingTaskDecorator() {
		return new ContextPropagatingTaskDecorator();
	}

}
