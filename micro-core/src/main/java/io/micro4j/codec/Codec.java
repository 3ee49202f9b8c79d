package io.micro4j.codec;

import java.lang.reflect.Type;

/**
 * Encodes and decodes message bodies of one content type.
 */
public interface Codec {

	/** The content type this codec handles, e.g. {@code application/json}. */
	String contentType();

	/**
	 * Encodes {@code value}.
	 * @throws CodecException if the value cannot be encoded by this codec
	 */
	byte[] encode(Object value);

	/**
	 * Decodes {@code data} into an instance of {@code type}.
	 * @throws CodecException if the data is malformed or does not fit the type
	 */
	Object decode(byte[] data, Type type);

}
