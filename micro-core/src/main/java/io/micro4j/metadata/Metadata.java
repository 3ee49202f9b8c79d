package io.micro4j.metadata;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Immutable call metadata: go-micro's {@code metadata.Metadata}, keyed case-insensitively.
 * <p>
 * Keys are stored in canonical MIME header form ({@code micro-from-service} becomes {@code Micro-From-Service}),
 * which is how go-micro's HTTP transport puts them on the wire and how its handlers read them. So a W3C
 * {@code traceparent} written here travels as go-micro's {@code Traceparent}.
 */
public final class Metadata {

	private static final Metadata EMPTY = new Metadata(Map.of());

	private final Map<String, String> entries;

	private Metadata(Map<String, String> entries) {
		this.entries = entries;
	}

	/** The empty metadata. */
	public static Metadata empty() {
		return EMPTY;
	}

	/** Metadata holding a copy of {@code map}, keys canonicalised; a later duplicate key wins. */
	public static Metadata of(Map<String, String> map) {
		if (map.isEmpty()) {
			return EMPTY;
		}
		Map<String, String> copy = new LinkedHashMap<>(map.size() * 2);
		map.forEach((k, v) -> copy.put(canonicalKey(k), v));
		return new Metadata(Collections.unmodifiableMap(copy));
	}

	/** Metadata from alternating keys and values. */
	public static Metadata of(String... keysAndValues) {
		if (keysAndValues.length % 2 != 0) {
			throw new IllegalArgumentException("keysAndValues: odd length " + keysAndValues.length
					+ " (expected: key, value pairs)");
		}
		Map<String, String> map = new LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			map.put(keysAndValues[i], keysAndValues[i + 1]);
		}
		return of(map);
	}

	/** A builder of metadata, starting empty. */
	public static Builder builder() {
		return new Builder(new LinkedHashMap<>());
	}

	/** A builder starting with every entry of this metadata: several changes for the price of one copy. */
	public Builder toBuilder() {
		Map<String, String> copy = new LinkedHashMap<>((this.entries.size() + 4) * 2);
		copy.putAll(this.entries);
		return new Builder(copy);
	}

	/** The value for {@code key} (any case), or empty. */
	public Optional<String> get(String key) {
		return Optional.ofNullable(this.entries.get(canonicalKey(key)));
	}

	/** The value for {@code key} (any case), or {@code null}; for hot paths. */
	public @org.jspecify.annotations.Nullable String getOrNull(String key) {
		return this.entries.get(canonicalKey(key));
	}

	/** A copy with {@code key} set to {@code value}. */
	public Metadata with(String key, String value) {
		Map<String, String> copy = new LinkedHashMap<>(this.entries);
		copy.put(canonicalKey(key), value);
		return new Metadata(Collections.unmodifiableMap(copy));
	}

	/** A copy with every entry of {@code other} added, {@code other} winning on equal keys. */
	public Metadata merge(Metadata other) {
		if (other.entries.isEmpty()) {
			return this;
		}
		if (this.entries.isEmpty()) {
			return other;
		}
		Map<String, String> copy = new LinkedHashMap<>(this.entries);
		copy.putAll(other.entries);
		return new Metadata(Collections.unmodifiableMap(copy));
	}

	/** A copy without {@code key}. */
	public Metadata without(String key) {
		String canonical = canonicalKey(key);
		if (!this.entries.containsKey(canonical)) {
			return this;
		}
		Map<String, String> copy = new LinkedHashMap<>(this.entries);
		copy.remove(canonical);
		return new Metadata(Collections.unmodifiableMap(copy));
	}

	public boolean isEmpty() {
		return this.entries.isEmpty();
	}

	public int size() {
		return this.entries.size();
	}

	public Set<String> keys() {
		return this.entries.keySet();
	}

	public void forEach(BiConsumer<String, String> action) {
		this.entries.forEach(action);
	}

	/** An unmodifiable view keyed by canonical keys. */
	public Map<String, String> asMap() {
		return this.entries;
	}

	/**
	 * Go's {@code textproto.CanonicalMIMEHeaderKey}: the first letter and every letter after a hyphen upper case,
	 * the rest lower case. A key with a space or another byte not valid in a header name is returned unchanged.
	 */
	public static String canonicalKey(String key) {
		int len = key.length();
		boolean upper = true;
		boolean alreadyCanonical = true;
		for (int i = 0; i < len; i++) {
			char c = key.charAt(i);
			if (!validHeaderChar(c)) {
				return key;
			}
			if (upper && c >= 'a' && c <= 'z' || !upper && c >= 'A' && c <= 'Z') {
				alreadyCanonical = false;
			}
			upper = c == '-';
		}
		if (alreadyCanonical) {
			return key;
		}
		char[] chars = key.toCharArray();
		upper = true;
		for (int i = 0; i < len; i++) {
			char c = chars[i];
			if (upper && c >= 'a' && c <= 'z') {
				chars[i] = (char) (c - ('a' - 'A'));
			}
			else if (!upper && c >= 'A' && c <= 'Z') {
				chars[i] = (char) (c + ('a' - 'A'));
			}
			upper = c == '-';
		}
		return new String(chars);
	}

	private static boolean validHeaderChar(char c) {
		return c < VALID_HEADER_CHARS.length && VALID_HEADER_CHARS[c];
	}

	/** RFC 7230 {@code tchar}: the characters Go's {@code textproto} accepts in a header name. */
	private static final boolean[] VALID_HEADER_CHARS = new boolean[128];

	static {
		for (char c = '0'; c <= '9'; c++) {
			VALID_HEADER_CHARS[c] = true;
		}
		for (char c = 'a'; c <= 'z'; c++) {
			VALID_HEADER_CHARS[c] = true;
			VALID_HEADER_CHARS[c - 'a' + 'A'] = true;
		}
		for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
			VALID_HEADER_CHARS[c] = true;
		}
	}

	@Override
	public boolean equals(Object other) {
		return this == other || other instanceof Metadata that && this.entries.equals(that.entries);
	}

	@Override
	public int hashCode() {
		return this.entries.hashCode();
	}

	@Override
	public String toString() {
		return this.entries.toString();
	}

	/**
	 * Builds {@link Metadata} with one map: keys are canonicalised as they are put, and {@link #build()} hands the
	 * map over without copying it. A builder builds once.
	 */
	public static final class Builder {

		private @org.jspecify.annotations.Nullable Map<String, String> entries;

		private Builder(Map<String, String> entries) {
			this.entries = entries;
		}

		/** Sets {@code key} (any case) to {@code value}; a later value for the same key wins. */
		public Builder put(String key, String value) {
			entries().put(canonicalKey(key), value);
			return this;
		}

		/** Sets {@code key} (any case) to {@code value} unless the key is already set. */
		public Builder putIfAbsent(String key, String value) {
			entries().putIfAbsent(canonicalKey(key), value);
			return this;
		}

		/** Removes {@code key} (any case). */
		public Builder remove(String key) {
			entries().remove(canonicalKey(key));
			return this;
		}

		/**
		 * The metadata built.
		 * @throws IllegalStateException when this builder has built already
		 */
		public Metadata build() {
			Map<String, String> built = entries();
			this.entries = null;
			return built.isEmpty() ? EMPTY : new Metadata(Collections.unmodifiableMap(built));
		}

		private Map<String, String> entries() {
			Map<String, String> map = this.entries;
			if (map == null) {
				throw new IllegalStateException("Metadata.Builder: already built");
			}
			return map;
		}

	}

}
