package io.micro4j.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Level;

import io.micro4j.errors.MicroException;
import io.micro4j.registry.RegistryException;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code micro} command line: lists, describes, calls and health-checks services in a registry, publishes to a
 * broker and watches the registry, for micro4j and go-micro services alike. Global options carry go-micro's names
 * ({@code --registry etcd --registry_address 127.0.0.1:2379}, {@code --broker nats --broker_address ...}) and
 * environment variables ({@code MICRO_REGISTRY}, {@code MICRO_REGISTRY_ADDRESS}, {@code MICRO_BROKER},
 * {@code MICRO_BROKER_ADDRESS}); an option given on the command line wins over the environment.
 * <p>
 * Every command returns one of the exit codes below and prints failures as one line on standard error (a service's
 * error as go-micro's error JSON), never a stack trace unless {@code --verbose}.
 */
@Command(name = "micro", mixinStandardHelpOptions = true, versionProvider = MicroCli.Version.class,
		description = "Lists, describes, calls and checks micro4j and go-micro services; publishes events; "
				+ "watches the registry.",
		subcommands = { ServicesCommand.class, DescribeCommand.class, CallCommand.class, PublishCommand.class,
				WatchCommand.class, HealthCommand.class, CommandLine.HelpCommand.class },
		exitCodeListHeading = "%nExit codes:%n",
		exitCodeList = { "0:success", "1:the call, publish or check failed (a service's error, no such service, "
				+ "an unhealthy node, a timeout)", "2:usage error (unknown command or option, bad value, request "
						+ "that is not JSON)", "3:the registry cannot be reached", "4:the broker cannot be reached",
				"130:interrupted (Ctrl-C)" })
public final class MicroCli {

	/** Success. */
	public static final int OK = 0;

	/** The call, publish or check failed: a service's error, no such service, an unhealthy node, a timeout. */
	public static final int FAILED = 1;

	/** Usage error: unknown command or option, bad value, a request that is not JSON. */
	public static final int USAGE = 2;

	/** The registry cannot be reached. */
	public static final int REGISTRY_UNREACHABLE = 3;

	/** The broker cannot be reached. */
	public static final int BROKER_UNREACHABLE = 4;

	/** The default registry: {@value}. go-micro's is mDNS, which micro4j does not speak. */
	public static final String DEFAULT_REGISTRY = "etcd";

	/** The default broker: {@value}, go-micro's (through the registry, no broker process). */
	public static final String DEFAULT_BROKER = "http";

	/** The default bound of each remote step. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

	@Option(names = "--registry", scope = ScopeType.INHERIT, paramLabel = "<type>",
			description = "Registry: etcd (default) or consul; env MICRO_REGISTRY.")
	private @Nullable String registry;

	@Option(names = "--registry_address", scope = ScopeType.INHERIT, paramLabel = "<host:port>",
			description = "Registry address(es), comma-separated; default 127.0.0.1:2379 (etcd), 127.0.0.1:8500 "
					+ "(consul); env MICRO_REGISTRY_ADDRESS.")
	private @Nullable String registryAddress;

	@Option(names = "--broker", scope = ScopeType.INHERIT, paramLabel = "<type>",
			description = "Broker for publish: http (default, through the registry), nats or rabbitmq; "
					+ "env MICRO_BROKER.")
	private @Nullable String broker;

	@Option(names = "--broker_address", scope = ScopeType.INHERIT, paramLabel = "<address>",
			description = "Broker address: nats://127.0.0.1:4222 (nats), amqp://guest:guest@127.0.0.1:5672 "
					+ "(rabbitmq); unused by http; env MICRO_BROKER_ADDRESS.")
	private @Nullable String brokerAddress;

	@Option(names = { "-o", "--output" }, scope = ScopeType.INHERIT, paramLabel = "<format>",
			description = "Output: text (default) or json (one JSON document; watch: one object per line).")
	private Output output = Output.text;

	@Option(names = "--timeout", scope = ScopeType.INHERIT, paramLabel = "<duration>",
			converter = DurationConverter.class,
			description = "Bound of each remote step (registry, call with its retries, publish, a node's check), "
					+ "e.g. 500ms, 5s, 1m; default 10s.")
	private Duration timeout = DEFAULT_TIMEOUT;

	@Option(names = { "-v", "--verbose" }, scope = ScopeType.INHERIT,
			description = "Show the libraries' log lines and stack traces on standard error.")
	private boolean verbose;

	private final Map<String, String> environment;

	/** A command line reading its defaults from {@code environment} (the process's: {@link System#getenv()}). */
	public MicroCli(Map<String, String> environment) {
		this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
	}

	/** Runs the command line and exits with its exit code. */
	public static void main(String[] args) {
		quietLogging(args);
		System.exit(commandLine(new MicroCli(System.getenv())).execute(args));
	}

	/**
	 * A picocli command line over {@code cli} with the CLI's error handling: usage errors print one line and exit
	 * {@value #USAGE}; failures print one line and exit with their code.
	 */
	public static CommandLine commandLine(MicroCli cli) {
		CommandLine commandLine = new CommandLine(cli);
		commandLine.setParameterExceptionHandler(MicroCli::usageError);
		commandLine.setExecutionExceptionHandler((ex, line, parseResult) -> failure(cli, ex, line.getErr()));
		commandLine.setCaseInsensitiveEnumValuesAllowed(true);
		return commandLine;
	}

	/** The registry settings: options, else environment, else defaults. */
	Plugins plugins() {
		return new Plugins(choose(this.registry, "MICRO_REGISTRY", DEFAULT_REGISTRY),
				choose(this.registryAddress, "MICRO_REGISTRY_ADDRESS", ""),
				choose(this.broker, "MICRO_BROKER", DEFAULT_BROKER),
				choose(this.brokerAddress, "MICRO_BROKER_ADDRESS", ""), this.timeout, this.environment);
	}

	Output output() {
		return this.output;
	}

	Duration timeout() {
		return this.timeout;
	}

	private String choose(@Nullable String option, String variable, String fallback) {
		if (option != null && !option.isBlank()) {
			return option.trim();
		}
		String value = this.environment.get(variable);
		return (value != null && !value.isBlank()) ? value.trim() : fallback;
	}

	private static int usageError(CommandLine.ParameterException ex, String[] args) {
		CommandLine line = ex.getCommandLine();
		PrintWriter err = line.getErr();
		err.println("micro: " + ex.getMessage());
		err.println("Try '" + line.getCommandSpec().qualifiedName() + " --help' for more information.");
		err.flush();
		return USAGE;
	}

	private static int failure(MicroCli cli, Exception ex, PrintWriter err) {
		if (cli.verbose) {
			ex.printStackTrace(err);
		}
		int code;
		String message;
		if (ex instanceof CliException failure) {
			code = failure.exitCode();
			message = failure.getMessage();
		}
		else if (registryFailure(ex) != null) {
			code = REGISTRY_UNREACHABLE;
			message = "micro: registry " + cli.plugins().registryDescription() + " is unreachable: "
					+ Objects.requireNonNull(registryFailure(ex)).detail();
		}
		else if (ex instanceof MicroException micro) {
			code = FAILED;
			message = micro.toJson();
		}
		else {
			code = FAILED;
			message = "micro: " + ex;
		}
		err.println(message);
		err.flush();
		return code;
	}

	/** The registry failure behind {@code ex}, if that is what it is. */
	static @Nullable RegistryException registryFailure(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof RegistryException registry) {
				return registry;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return null;
	}

	/**
	 * Silences the libraries' logging (slf4j-simple and java.util.logging, which grpc-java uses) unless
	 * {@code -v}/{@code --verbose} is among the arguments; runs before the first logger is made.
	 */
	static void quietLogging(String[] args) {
		boolean verbose = false;
		for (String arg : args) {
			verbose |= arg.equals("-v") || arg.equals("--verbose");
		}
		System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
		System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "off");
		java.util.logging.Logger.getLogger("").setLevel(verbose ? Level.INFO : Level.OFF);
	}

	/** The output format. */
	enum Output {

		/** For people: aligned columns and indented trees. */
		text,

		/** For programs: JSON documents. */
		json

	}

	/** The version: the jar's implementation version. */
	static final class Version implements CommandLine.IVersionProvider {

		@Override
		public String[] getVersion() {
			String version = MicroCli.class.getPackage().getImplementationVersion();
			return new String[] { "micro4j-cli " + ((version != null) ? version : "(development)") };
		}

	}

}
