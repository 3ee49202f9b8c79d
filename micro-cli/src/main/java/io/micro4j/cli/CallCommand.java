package io.micro4j.cli;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micro4j.MicroService;
import io.micro4j.client.CallOptions;
import io.micro4j.client.Request;
import io.micro4j.errors.FailureClassifier;
import io.micro4j.errors.MicroException;
import io.micro4j.grpc.GrpcTransportClient;
import io.micro4j.metadata.Metadata;
import io.micro4j.registry.Registry;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import tools.jackson.databind.JsonNode;

/**
 * {@code micro call <service> <endpoint> '<json>'}: one JSON request through the micro client (discovery, selection,
 * retries within {@code --timeout}); prints the JSON answer. A service's error goes to standard error as go-micro's
 * error JSON, exit code {@value MicroCli#FAILED}.
 */
@Command(name = "call", description = "Calls an endpoint with a JSON request and prints the JSON answer.")
final class CallCommand extends CliCommand {

	/** go-micro's per-attempt connection timeout, the most one attempt waits unless --timeout is shorter. */
	static final Duration ATTEMPT_TIMEOUT = CallOptions.DEFAULT_CONNECTION_TIMEOUT;

	@Parameters(index = "0", paramLabel = "<service>", description = "The service name, e.g. greeter.")
	private String service = "";

	@Parameters(index = "1", paramLabel = "<endpoint>", description = "The endpoint, e.g. Greeter.Hello.")
	private String endpoint = "";

	@Parameters(index = "2", paramLabel = "<json>", arity = "0..1", defaultValue = "{}",
			description = "The request as JSON; default {}.")
	private String request = "{}";

	@Option(names = { "-m", "--metadata" }, paramLabel = "<key=value>",
			description = "Metadata (headers) to send; repeatable.")
	private Map<String, String> metadata = new LinkedHashMap<>();

	@Option(names = "--retries", paramLabel = "<n>", description = "Retries after a failed attempt "
			+ "(only failures that are safe to repeat); default 5 as go-micro.")
	private int retries = CallOptions.DEFAULT_RETRIES;

	@Option(names = "--address", paramLabel = "<host:port>",
			description = "Call this node instead of discovering the service's nodes.")
	private @Nullable String address;

	@Override
	public Integer call() {
		JsonNode body = Json.parse("request", this.request);
		if (this.retries < 0) {
			throw CliException.usage("--retries: " + this.retries + " (expected: 0 or more)");
		}
		Duration timeout = cli().timeout();
		CallOptions options = CallOptions.builder()
			.requestTimeout(timeout)
			.connectionTimeout(timeout.compareTo(ATTEMPT_TIMEOUT) < 0 ? timeout : ATTEMPT_TIMEOUT)
			.retries(this.retries)
			.addresses((this.address != null) ? List.of(this.address) : List.of())
			.build();
		Request call = Request.of(this.service, this.endpoint, body).withMetadata(Metadata.of(this.metadata));
		JsonNode answer;
		try (Registry registry = cli().plugins().newRegistry();
				MicroService client = MicroService.builder("micro-cli")
					.registry(registry)
					.transport("grpc", GrpcTransportClient.builder().connectTimeout(timeout).build())
					.build()) {
			answer = client.client().call(call, JsonNode.class, options);
		}
		catch (RuntimeException ex) {
			Throwable failure = FailureClassifier.unwrap(ex);
			if (MicroCli.registryFailure(failure) != null || !(failure instanceof MicroException micro)) {
				throw ex;
			}
			err().println(micro.toJson());
			err().flush();
			return MicroCli.FAILED;
		}
		print(answer);
		return MicroCli.OK;
	}

}
