package io.micro4j.errors;

import java.util.Objects;

import io.micro4j.internal.JsonText;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A go-micro error: {@code {"id":..., "code":..., "detail":..., "status":...}}.
 * <p>
 * {@code code} is an HTTP status code and {@code status} its reason phrase. The JSON form written by
 * {@link #toJson()} is byte-for-byte what go-micro's {@code errors.Error.Error()} returns (fields in
 * declaration order, empty fields omitted). {@link #parse(String)} reads that form and, like go-micro's
 * {@code errors.Parse}, puts any text that is not such JSON into {@code detail}.
 * <p>
 * Local failures (no node available, connection refused, ...) are subclasses whose names say what failed.
 */
public class MicroException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private final String id;

	private final int code;

	private final String detail;

	private final String status;

	public MicroException(String id, int code, String detail) {
		this(id, code, detail, statusText(code), null);
	}

	public MicroException(String id, int code, String detail, String status, @Nullable Throwable cause) {
		super(detail, cause);
		this.id = Objects.requireNonNullElse(id, "");
		this.code = code;
		this.detail = Objects.requireNonNullElse(detail, "");
		this.status = Objects.requireNonNullElse(status, "");
	}

	/** The error id, usually the name of the service or component that raised it; empty if unset. */
	public String id() {
		return this.id;
	}

	/** The HTTP status code, or {@code 0} if the error came as plain text. */
	public int code() {
		return this.code;
	}

	/** The human-readable detail; never {@code null}. */
	public String detail() {
		return this.detail;
	}

	/** The HTTP reason phrase of {@link #code()}; empty if unknown. */
	public String status() {
		return this.status;
	}

	@Override
	public String getMessage() {
		return toJson();
	}

	/** go-micro's JSON form, fields with zero values omitted as Go's {@code omitempty} does. */
	public String toJson() {
		StringBuilder sb = new StringBuilder(64 + this.detail.length());
		sb.append('{');
		boolean first = true;
		if (!this.id.isEmpty()) {
			sb.append("\"id\":");
			JsonText.appendString(sb, this.id);
			first = false;
		}
		if (this.code != 0) {
			sb.append(first ? "" : ",").append("\"code\":").append(this.code);
			first = false;
		}
		if (!this.detail.isEmpty()) {
			sb.append(first ? "" : ",").append("\"detail\":");
			JsonText.appendString(sb, this.detail);
			first = false;
		}
		if (!this.status.isEmpty()) {
			sb.append(first ? "" : ",").append("\"status\":");
			JsonText.appendString(sb, this.status);
		}
		return sb.append('}').toString();
	}

	/**
	 * Parses an error as go-micro's {@code errors.Parse} does: JSON of the four fields, otherwise the whole text
	 * becomes {@code detail} (code 0).
	 */
	public static MicroException parse(@Nullable String text) {
		if (text == null || text.isEmpty()) {
			return new MicroException("", 0, "", "", null);
		}
		String trimmed = text.trim();
		if (trimmed.startsWith("{")) {
			try {
				JsonNode node = MAPPER.readTree(trimmed);
				if (node != null && node.isObject()) {
					String id = node.path("id").asString("");
					int code = node.path("code").asInt(0);
					String detail = node.path("detail").asString("");
					String status = node.path("status").asString("");
					return new MicroException(id, code, detail, status, null);
				}
			}
			catch (RuntimeException ex) {
				// not JSON: fall through to plain detail
			}
		}
		return new MicroException("", 0, text, "", null);
	}

	/** Wraps any throwable: a {@link MicroException} is returned as is, anything else becomes a 500. */
	public static MicroException from(String id, Throwable ex) {
		if (ex instanceof MicroException micro) {
			return micro;
		}
		String detail = (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getName();
		return new MicroException(id, 500, detail, statusText(500), ex);
	}

	public static MicroException badRequest(String id, String format, Object... args) {
		return new MicroException(id, 400, format(format, args));
	}

	public static MicroException unauthorized(String id, String format, Object... args) {
		return new MicroException(id, 401, format(format, args));
	}

	public static MicroException forbidden(String id, String format, Object... args) {
		return new MicroException(id, 403, format(format, args));
	}

	public static MicroException notFound(String id, String format, Object... args) {
		return new MicroException(id, 404, format(format, args));
	}

	public static MicroException methodNotAllowed(String id, String format, Object... args) {
		return new MicroException(id, 405, format(format, args));
	}

	public static MicroException timeout(String id, String format, Object... args) {
		return new MicroException(id, 408, format(format, args));
	}

	public static MicroException conflict(String id, String format, Object... args) {
		return new MicroException(id, 409, format(format, args));
	}

	public static MicroException payloadTooLarge(String id, String format, Object... args) {
		return new MicroException(id, 413, format(format, args));
	}

	public static MicroException internalServerError(String id, String format, Object... args) {
		return new MicroException(id, 500, format(format, args));
	}

	public static MicroException serviceUnavailable(String id, String format, Object... args) {
		return new MicroException(id, 503, format(format, args));
	}

	/**
	 * Formats like {@link String#format}, also accepting Go's {@code %q} (a double-quoted, escaped string), so
	 * messages can be written as in go-micro: {@code badRequest("greeter.hello", "bad name %q", name)}.
	 */
	public static String format(String format, Object... args) {
		if (format.indexOf("%q") < 0) {
			return String.format(format, args);
		}
		StringBuilder converted = new StringBuilder(format.length());
		Object[] copy = args.clone();
		int arg = 0;
		for (int i = 0; i < format.length(); i++) {
			char c = format.charAt(i);
			if (c != '%' || i + 1 >= format.length()) {
				converted.append(c);
				continue;
			}
			char next = format.charAt(i + 1);
			if (next == '%' || next == 'n') {
				converted.append(c).append(next);
				i++;
				continue;
			}
			if (next == 'q') {
				if (arg < copy.length) {
					copy[arg] = goQuote(String.valueOf(copy[arg]));
				}
				converted.append("%s");
				i++;
				arg++;
				continue;
			}
			converted.append(c);
			arg++;
		}
		return String.format(converted.toString(), copy);
	}

	/** Go's {@code strconv.Quote} for the characters that matter in messages. */
	private static String goQuote(String text) {
		StringBuilder sb = new StringBuilder(text.length() + 2).append('"');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '"' -> sb.append("\\\"");
				case '\\' -> sb.append("\\\\");
				case '\n' -> sb.append("\\n");
				case '\r' -> sb.append("\\r");
				case '\t' -> sb.append("\\t");
				default -> {
					if (c < 0x20 || c == 0x7f) {
						sb.append(String.format("\\x%02x", (int) c));
					}
					else {
						sb.append(c);
					}
				}
			}
		}
		return sb.append('"').toString();
	}

	/** The reason phrase Go's {@code http.StatusText} returns for the codes go-micro uses; empty otherwise. */
	public static String statusText(int code) {
		return switch (code) {
			case 400 -> "Bad Request";
			case 401 -> "Unauthorized";
			case 403 -> "Forbidden";
			case 404 -> "Not Found";
			case 405 -> "Method Not Allowed";
			case 408 -> "Request Timeout";
			case 409 -> "Conflict";
			case 412 -> "Precondition Failed";
			case 413 -> "Request Entity Too Large";
			case 415 -> "Unsupported Media Type";
			case 429 -> "Too Many Requests";
			case 500 -> "Internal Server Error";
			case 501 -> "Not Implemented";
			case 502 -> "Bad Gateway";
			case 503 -> "Service Unavailable";
			case 504 -> "Gateway Timeout";
			default -> "";
		};
	}

	@Override
	public boolean equals(Object other) {
		if (this == other) {
			return true;
		}
		return other instanceof MicroException that && this.code == that.code && this.id.equals(that.id)
				&& this.detail.equals(that.detail) && this.status.equals(that.status);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.id, this.code, this.detail, this.status);
	}

}
