package io.micro4j.benchmarks.support;

import java.util.Arrays;

/** Small statistics over repeated measurements. */
public final class Stats {

	private Stats() {
	}

	/** The arithmetic mean; NaN when empty. */
	public static double mean(double[] values) {
		return Arrays.stream(values).average().orElse(Double.NaN);
	}

	/** The sample standard deviation; 0 for fewer than two values. */
	public static double stddev(double[] values) {
		if (values.length < 2) {
			return 0;
		}
		double mean = mean(values);
		double sum = 0;
		for (double value : values) {
			sum += (value - mean) * (value - mean);
		}
		return Math.sqrt(sum / (values.length - 1));
	}

	/** The smallest value. */
	public static double min(double[] values) {
		return Arrays.stream(values).min().orElse(Double.NaN);
	}

	/** The largest value. */
	public static double max(double[] values) {
		return Arrays.stream(values).max().orElse(Double.NaN);
	}

	/** The {@code q} quantile (0..1) of sorted {@code values}, nearest rank. */
	public static long quantile(long[] sorted, int length, double q) {
		if (length == 0) {
			return 0;
		}
		int rank = (int) Math.ceil(q * length);
		return sorted[Math.min(length - 1, Math.max(0, rank - 1))];
	}

}
