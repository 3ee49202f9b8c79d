package io.micro4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import picocli.CommandLine;

/** Runs the CLI in this process, with captured output. */
final class Cli {

	private Cli() {
	}

	/** Runs {@code args} with {@code environment} as the process environment. */
	static Run run(Map<String, String> environment, String... args) {
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();
		CommandLine commandLine = MicroCli.commandLine(new MicroCli(environment));
		commandLine.setOut(new PrintWriter(out, true));
		commandLine.setErr(new PrintWriter(err, true));
		int code = commandLine.execute(args);
		return new Run(code, out.toString(), err.toString());
	}

	/** Runs {@code args} against the etcd at {@code registryAddress}, with an empty environment. */
	static Run etcd(String registryAddress, String... args) {
		List<String> all = new ArrayList<>(List.of("--registry", "etcd", "--registry_address", registryAddress));
		all.addAll(List.of(args));
		return run(Map.of(), all.toArray(String[]::new));
	}

	/** What a run printed and returned. */
	record Run(int code, String out, String err) {

		/** Standard output's lines. */
		List<String> lines() {
			return this.out.lines().toList();
		}

		@Override
		public String toString() {
			return "exit " + this.code + "\n--- out\n" + this.out + "--- err\n" + this.err;
		}

	}

}
