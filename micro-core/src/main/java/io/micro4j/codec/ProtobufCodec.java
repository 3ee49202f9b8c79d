package io.micro4j.codec;

import java.lang.reflect.Type;

/**
 * {@code application/protobuf}: raw protobuf bytes of a generated message (needs {@code protobuf-java}).
 */
public final class ProtobufCodec implements Codec {

	/** The content type. */
	public static final String CONTENT_TYPE = "application/protobuf";

	@Override
	public String contentType() {
		return CONTENT_TYPE;
	}

	@Override
	public byte[] encode(Object value) {
		if (!ProtobufSupport.isMessage(value)) {
			throw new CodecException(500, "protobuf: " + value.getClass().getName() + " is not a protobuf message");
		}
		return ProtobufSupport.toBytes(value);
	}

	@Override
	public Object decode(byte[] data, Type type) {
		if (!(type instanceof Class<?> cls) || !ProtobufSupport.isMessageType(cls)) {
			throw new CodecException(500, "protobuf: " + type.getTypeName() + " is not a protobuf message type");
		}
		return ProtobufSupport.fromBytes(data, cls);
	}

}
