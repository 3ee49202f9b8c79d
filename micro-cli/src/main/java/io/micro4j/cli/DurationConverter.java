package io.micro4j.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine;

/**
 * Reads a duration as go-micro's flags write it: {@code 500ms}, {@code 5s}, {@code 1m}, {@code 1m30s}, {@code 2h};
 * a bare number is seconds. It must be positive.
 */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

	private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

	@Override
	public Duration convert(String value) {
		String text = value.trim();
		Duration duration = Duration.ZERO;
		if (text.matches("\\d+")) {
			duration = Duration.ofSeconds(Long.parseLong(text));
		}
		else {
			Matcher matcher = PART.matcher(text);
			int end = 0;
			while (matcher.find() && matcher.start() == end) {
				long amount = Long.parseLong(matcher.group(1));
				duration = duration.plus(switch (matcher.group(2)) {
					case "ms" -> Duration.ofMillis(amount);
					case "s" -> Duration.ofSeconds(amount);
					case "m" -> Duration.ofMinutes(amount);
					default -> Duration.ofHours(amount);
				});
				end = matcher.end();
			}
			if (end == 0 || end != text.length()) {
				throw new CommandLine.TypeConversionException(
						"'" + value + "' is not a duration (expected e.g. 500ms, 5s, 1m30s)");
			}
		}
		if (duration.isZero()) {
			throw new CommandLine.TypeConversionException("'" + value + "' is not a positive duration");
		}
		return duration;
	}

}
