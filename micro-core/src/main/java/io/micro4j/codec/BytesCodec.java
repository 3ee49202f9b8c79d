package io.micro4j.codec;

import java.lang.reflect.Type;

/**
 * {@code application/octet-stream}: the body is passed through as {@code byte[]}.
 */
public final class BytesCodec implements Codec {

	/** The content type. */
	public static final String CONTENT_TYPE = "application/octet-stream";

	@Override
	public String contentType() {
		return CONTENT_TYPE;
	}

	@Override
	public byte[] encode(Object value) {
		if (value instanceof byte[] bytes) {
			return bytes;
		}
		throw new CodecException(500, "bytes: cannot encode " + value.getClass().getName() + " (expected: byte[])");
	}

	@Override
	public Object decode(byte[] data, Type type) {
		if (type != byte[].class && type != Object.class) {
			throw new CodecException(500, "bytes: cannot decode into " + type.getTypeName() + " (expected: byte[])");
		}
		return data;
	}

}
