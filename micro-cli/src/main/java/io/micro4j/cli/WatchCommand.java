package io.micro4j.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.micro4j.registry.Node;
import io.micro4j.registry.Registry;
import io.micro4j.registry.RegistryEvent;
import io.micro4j.registry.RegistryListener;
import io.micro4j.registry.RegistryException;
import io.micro4j.registry.Service;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import tools.jackson.databind.node.ObjectNode;

/**
 * {@code micro watch [<service>]}: prints registry events as they happen, until Ctrl-C or {@code --count} events.
 * Text: {@code create greeter latest <node id> <address>}, one line per node; JSON: go-micro's watch result
 * {@code {"action":"create","service":{...record...}}}, one object per line.
 */
@Command(name = "watch", description = "Prints registry events (create, update, delete) as they happen, until "
		+ "Ctrl-C.")
final class WatchCommand extends CliCommand {

	/** The exit code when the thread is interrupted: {@value}, as a shell reports Ctrl-C. */
	static final int INTERRUPTED = 130;

	@Parameters(index = "0", arity = "0..1", paramLabel = "<service>",
			description = "Only this service; default: every service.")
	private @Nullable String service;

	@Option(names = "--count", paramLabel = "<n>", description = "Stop after n events; default: never.")
	private int count;

	@Override
	public Integer call() {
		if (this.count < 0) {
			throw CliException.usage("--count: " + this.count + " (expected: 0 or more)");
		}
		CountDownLatch done = new CountDownLatch((this.count > 0) ? this.count : 1);
		AtomicInteger seen = new AtomicInteger();
		AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
		RegistryListener listener = new RegistryListener() {

			@Override
			public void onEvent(RegistryEvent event) {
				if (WatchCommand.this.count > 0 && seen.incrementAndGet() > WatchCommand.this.count) {
					return;
				}
				printEvent(event);
				if (WatchCommand.this.count > 0) {
					done.countDown();
				}
			}

			@Override
			public void onError(Throwable error) {
				failure.set(error);
				while (done.getCount() > 0) {
					done.countDown();
				}
			}

		};
		try (Registry registry = cli().plugins().newRegistry();
				Registry.Watch watch = registry.watch(this.service, listener)) {
			done.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return INTERRUPTED;
		}
		Throwable error = failure.get();
		if (error != null) {
			throw (error instanceof RegistryException registry) ? registry
					: new RegistryException("watch failed: " + error, error);
		}
		return MicroCli.OK;
	}

	private void printEvent(RegistryEvent event) {
		Service service = event.service();
		if (json()) {
			ObjectNode result = Json.object().put("action", event.type().action());
			result.set("service", Json.record(service));
			print(result);
			return;
		}
		for (Node node : service.nodes()) {
			println(event.type().action() + "  " + service.name() + "  " + service.version() + "  " + node.id() + "  "
					+ node.address());
		}
	}

}
