package io.micro4j.internal;

/**
 * Writes JSON string literals exactly as Go's {@code encoding/json} does (HTML-safe: {@code <}, {@code >} and
 * {@code &} become {@code \u003c}-style escapes; U+2028/U+2029 escaped), so byte forms match go-micro's.
 */
public final class JsonText {

	private static final char[] HEX = "0123456789abcdef".toCharArray();

	private JsonText() {
	}

	/** Appends {@code value} as a quoted JSON string. */
	public static void appendString(StringBuilder sb, String value) {
		sb.append('"');
		int len = value.length();
		for (int i = 0; i < len; i++) {
			char c = value.charAt(i);
			switch (c) {
				case '"' -> sb.append("\\\"");
				case '\\' -> sb.append("\\\\");
				case '\n' -> sb.append("\\n");
				case '\r' -> sb.append("\\r");
				case '\t' -> sb.append("\\t");
				case '<', '>', '&', '\u2028', '\u2029' -> unicode(sb, c);
				default -> {
					if (c < 0x20) {
						unicode(sb, c);
					}
					else {
						sb.append(c);
					}
				}
			}
		}
		sb.append('"');
	}

	private static void unicode(StringBuilder sb, char c) {
		sb.append("\\u").append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF]).append(HEX[(c >> 4) & 0xF])
			.append(HEX[c & 0xF]);
	}

}
