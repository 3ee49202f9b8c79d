package io.micro4j.internal;

import org.jspecify.annotations.Nullable;

/**
 * Makes text that came from the network safe to put in a log line: control characters are escaped, so one log call
 * stays one line and cannot forge another, and long text is cut.
 * <p>
 * CR, LF and TAB become {@code \r}, {@code \n}, {@code \t}; other C0 and C1 control characters, DEL, the Unicode line
 * and paragraph separators and the bidirectional overrides become {@code \}{@code uXXXX}. Text longer than the limit
 * ({@value #MAX_LENGTH} characters by default) keeps its first characters and ends with {@code …(N more)}, where N
 * counts the characters left out. Everything else, backslashes included, is kept as it is.
 */
public final class LogSafe {

	/** The default number of characters kept. */
	public static final int MAX_LENGTH = 200;

	/** The causes {@link #throwable(Throwable)} keeps. */
	public static final int MAX_CAUSES = 8;

	private static final char[] HEX = "0123456789abcdef".toCharArray();

	private LogSafe() {
	}

	/**
	 * {@code value}'s text, escaped and cut to {@value #MAX_LENGTH} characters; {@code "null"} for {@code null}.
	 */
	public static String text(@Nullable Object value) {
		return text(value, MAX_LENGTH);
	}

	/**
	 * {@code value}'s text, escaped and cut to {@code maxLength} characters (before escaping); {@code "null"} for
	 * {@code null}.
	 * @throws IllegalArgumentException when {@code maxLength} is not positive
	 */
	public static String text(@Nullable Object value, int maxLength) {
		Arguments.positive("maxLength", maxLength);
		if (value == null) {
			return "null";
		}
		String text = value.toString();
		int length = text.length();
		int end = Math.min(length, maxLength);
		if (end < length && end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
			end--;
		}
		int first = firstUnsafe(text, end);
		if (first == end && end == length) {
			return text;
		}
		StringBuilder sb = new StringBuilder(end + 24);
		sb.append(text, 0, first);
		for (int i = first; i < end; i++) {
			append(sb, text.charAt(i));
		}
		if (end < length) {
			sb.append("…(").append(length - end).append(" more)");
		}
		return sb.toString();
	}

	/**
	 * A stand-in for {@code failure} to pass to a logger: same stack trace and cause chain (at most
	 * {@value #MAX_CAUSES} deep), each message {@link #text(Object) escaped and cut} and prefixed with the original
	 * class name, since a handler's exception message often carries request data.
	 */
	public static Throwable throwable(Throwable failure) {
		return escaped(failure, 0);
	}

	private static Throwable escaped(Throwable failure, int depth) {
		Throwable cause = failure.getCause();
		Throwable escapedCause = (cause != null && cause != failure && depth < MAX_CAUSES) ? escaped(cause, depth + 1)
				: null;
		return new Escaped(text(failure), escapedCause, failure.getStackTrace());
	}

	private static int firstUnsafe(String text, int end) {
		for (int i = 0; i < end; i++) {
			if (isUnsafe(text.charAt(i))) {
				return i;
			}
		}
		return end;
	}

	private static boolean isUnsafe(char c) {
		return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029'
				|| (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
	}

	private static void append(StringBuilder sb, char c) {
		if (!isUnsafe(c)) {
			sb.append(c);
			return;
		}
		switch (c) {
			case '\n' -> sb.append("\\n");
			case '\r' -> sb.append("\\r");
			case '\t' -> sb.append("\\t");
			default -> sb.append("\\u").append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF])
				.append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
		}
	}

	/** A logged exception: the original's text, escaped, as its message; the original's stack trace. */
	private static final class Escaped extends RuntimeException {

		private static final long serialVersionUID = 1L;

		Escaped(String text, @Nullable Throwable cause, StackTraceElement[] stackTrace) {
			super(text, cause, false, true);
			setStackTrace(stackTrace);
		}

		@Override
		public String toString() {
			return getMessage();
		}

	}

}
