package io.micro4j.codec;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The codecs known to a client or server, by content type. Lookups ignore parameters ({@code ; charset=utf-8}) and
 * case. Immutable.
 */
public final class Codecs {

	private final Map<String, Codec> byType;

	private final Codec defaultCodec;

	private Codecs(Map<String, Codec> byType, Codec defaultCodec) {
		this.byType = byType;
		this.defaultCodec = defaultCodec;
	}

	/**
	 * JSON (the default), protobuf ({@code application/protobuf}, also registered as
	 * {@code application/x-protobuf}) and bytes ({@code application/octet-stream}).
	 */
	public static Codecs defaults() {
		return of(new JsonCodec(), new ProtobufCodec(), new BytesCodec());
	}

	/** Codecs with {@code defaultCodec} first, used when no content type is asked for. */
	public static Codecs of(Codec defaultCodec, Codec... others) {
		Map<String, Codec> map = new LinkedHashMap<>();
		map.put(normalize(defaultCodec.contentType()), defaultCodec);
		for (Codec codec : others) {
			map.putIfAbsent(normalize(codec.contentType()), codec);
		}
		if (map.containsKey(ProtobufCodec.CONTENT_TYPE)) {
			map.putIfAbsent("application/x-protobuf", map.get(ProtobufCodec.CONTENT_TYPE));
		}
		return new Codecs(Map.copyOf(map), defaultCodec);
	}

	/** A copy with {@code codec} added, replacing any codec of the same content type. */
	public Codecs with(Codec codec) {
		Map<String, Codec> map = new LinkedHashMap<>(this.byType);
		map.put(normalize(codec.contentType()), codec);
		Codec newDefault = normalize(codec.contentType()).equals(normalize(this.defaultCodec.contentType())) ? codec
				: this.defaultCodec;
		return new Codecs(Map.copyOf(map), newDefault);
	}

	/** The codec for {@code contentType}, if any. */
	public Optional<Codec> forContentType(String contentType) {
		return Optional.ofNullable(this.byType.get(normalize(contentType)));
	}

	/** The codec used when none is asked for ({@code application/json} unless configured otherwise). */
	public Codec defaultCodec() {
		return this.defaultCodec;
	}

	public Collection<Codec> all() {
		return this.byType.values();
	}

	static String normalize(String contentType) {
		int semi = contentType.indexOf(';');
		String base = (semi >= 0) ? contentType.substring(0, semi) : contentType;
		return base.trim().toLowerCase(Locale.ROOT);
	}

}
