package io.micro4j.cli;

import java.util.LinkedHashMap;
import java.util.Map;

import io.micro4j.MicroService;
import io.micro4j.broker.Broker;
import io.micro4j.broker.BrokerException;
import io.micro4j.broker.http.HttpBroker;
import io.micro4j.metadata.Metadata;
import io.micro4j.registry.Registry;
import io.micro4j.registry.memory.MemoryRegistry;
import io.micro4j.runtime.MicroRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code micro publish <topic> '<json>'}: publishes one event through the chosen broker, in go-micro's envelope
 * (headers {@code Content-Type}, {@code Micro-Topic}, {@code Micro-Id}), and returns once it is delivered: the http
 * broker has posted it to every current subscriber, NATS has flushed it, RabbitMQ has confirmed it.
 */
@Command(name = "publish", description = "Publishes a JSON event to a topic through the broker.")
final class PublishCommand extends CliCommand {

	@Parameters(index = "0", paramLabel = "<topic>", description = "The topic, e.g. greeter.events.")
	private String topic = "";

	@Parameters(index = "1", paramLabel = "<json>", description = "The event as JSON.")
	private String message = "";

	@Option(names = { "-m", "--metadata" }, paramLabel = "<key=value>",
			description = "Headers to add to the message; repeatable.")
	private Map<String, String> metadata = new LinkedHashMap<>();

	@Override
	public Integer call() {
		JsonNode body = Json.parse("message", this.message);
		Plugins plugins = cli().plugins();
		boolean http = plugins.broker().equals("http");
		int subscribers = -1;
		try (MicroRuntime runtime = MicroRuntime.create();
				Registry registry = http ? plugins.newRegistry() : new MemoryRegistry();
				Broker broker = plugins.newBroker(registry, runtime);
				MicroService service = MicroService.builder("micro-cli")
					.runtime(runtime)
					.registry(registry)
					.broker(broker)
					.build()) {
			if (broker instanceof HttpBroker httpBroker) {
				// fails with the registry's error when it cannot be read, as a call does
				registry.getService(HttpBroker.SERVICE);
				subscribers = httpBroker.subscriberNodes(this.topic).size();
			}
			service.client().publish(this.topic, body, Metadata.of(this.metadata));
			if (broker instanceof HttpBroker httpBroker) {
				if (!httpBroker.flush(cli().timeout()) || httpBroker.droppedMessages() > 0) {
					throw CliException.failed("event to " + this.topic + " not delivered to every subscriber within "
							+ cli().timeout().toMillis() + " ms");
				}
			}
		}
		catch (BrokerException ex) {
			throw new CliException(MicroCli.BROKER_UNREACHABLE,
					"micro: broker " + plugins.brokerDescription() + ": " + ex.getMessage());
		}
		if (json()) {
			ObjectNode result = Json.object().put("topic", this.topic).put("broker", plugins.broker());
			if (subscribers >= 0) {
				result.put("subscribers", subscribers);
			}
			print(result);
		}
		else {
			println("published to " + this.topic + " via " + plugins.broker()
					+ ((subscribers >= 0) ? " (" + subscribers + " subscriber" + ((subscribers == 1) ? ")" : "s)")
							: ""));
		}
		return MicroCli.OK;
	}

}
