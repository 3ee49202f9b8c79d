package io.micro4j.benchmarks.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the drivers write their data files: the {@code bench.out} system property, by default
 * {@code benchmarks/results} (or {@code results} when run from inside {@code benchmarks/}).
 */
public final class Results {

	private Results() {
	}

	/** The results directory, created if missing. */
	public static Path directory() throws IOException {
		String configured = System.getProperty("bench.out");
		Path dir = (configured != null && !configured.isBlank()) ? Path.of(configured)
				: Files.isDirectory(Path.of("benchmarks")) ? Path.of("benchmarks", "results") : Path.of("results");
		return Files.createDirectories(dir);
	}

}
