package io.micro4j.grpc;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import io.grpc.MethodDescriptor;

/**
 * Message marshallers for gRPC methods declared without generated code: raw bytes (what micro handlers read with
 * their own codecs) and UTF-8 text.
 */
public final class Marshallers {

	private Marshallers() {
	}

	/** Messages as byte arrays, unchanged. */
	public static MethodDescriptor.Marshaller<byte[]> bytes() {
		return Bytes.INSTANCE;
	}

	/** Messages as UTF-8 text. */
	public static MethodDescriptor.Marshaller<String> utf8() {
		return Utf8.INSTANCE;
	}

	private static byte[] readAll(InputStream stream) {
		try {
			return stream.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private enum Bytes implements MethodDescriptor.Marshaller<byte[]> {

		INSTANCE;

		@Override
		public InputStream stream(byte[] value) {
			return new ByteArrayInputStream(value);
		}

		@Override
		public byte[] parse(InputStream stream) {
			return readAll(stream);
		}

	}

	private enum Utf8 implements MethodDescriptor.Marshaller<String> {

		INSTANCE;

		@Override
		public InputStream stream(String value) {
			return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
		}

		@Override
		public String parse(InputStream stream) {
			return new String(readAll(stream), StandardCharsets.UTF_8);
		}

	}

}
