package io.micro4j.cli;

/** A failure the CLI reports as one line on standard error, exiting with {@link #exitCode()}. */
final class CliException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final int exitCode;

	/** A failure with exit code {@code exitCode} and the line {@code message}. */
	CliException(int exitCode, String message) {
		super(message, null, false, false);
		this.exitCode = exitCode;
	}

	/** A usage error: {@code micro: <message>}, exit code {@value MicroCli#USAGE}. */
	static CliException usage(String message) {
		return new CliException(MicroCli.USAGE, "micro: " + message);
	}

	/** A failed call, publish or check: {@code micro: <message>}, exit code {@value MicroCli#FAILED}. */
	static CliException failed(String message) {
		return new CliException(MicroCli.FAILED, "micro: " + message);
	}

	/** The process's exit code. */
	int exitCode() {
		return this.exitCode;
	}

}
