package io.micro4j.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import tools.jackson.databind.JsonNode;

/** What every command shares: the global options and the output streams. */
abstract class CliCommand implements Callable<Integer> {

	@ParentCommand
	private @Nullable MicroCli cli;

	@Spec
	private @Nullable CommandSpec spec;

	/** The global options. */
	final MicroCli cli() {
		if (this.cli == null) {
			throw new IllegalStateException("not run by MicroCli");
		}
		return this.cli;
	}

	/** Whether the output is JSON. */
	final boolean json() {
		return cli().output() == MicroCli.Output.json;
	}

	final PrintWriter out() {
		return spec().commandLine().getOut();
	}

	final PrintWriter err() {
		return spec().commandLine().getErr();
	}

	/** Prints {@code json} compact with {@code --output json}, else indented ({@code null} as JSON's null). */
	final void print(@Nullable JsonNode json) {
		if (json == null) {
			println("null");
			return;
		}
		println(json() ? Json.compact(json) : Json.pretty(json));
	}

	/** Prints a line and flushes. */
	final void println(String line) {
		PrintWriter out = out();
		synchronized (out) {
			out.println(line);
			out.flush();
		}
	}

	private CommandSpec spec() {
		if (this.spec == null) {
			throw new IllegalStateException("not run by picocli");
		}
		return this.spec;
	}

}
