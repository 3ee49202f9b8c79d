package io.micro4j.grpc;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.grpc.Metadata;
import io.micro4j.errors.MicroException;
import org.jspecify.annotations.Nullable;

/**
 * go-micro's error details on the gRPC wire: trailer {@code grpc-status-details-bin} holds a {@code google.rpc.Status}
 * (code, the error JSON as message) whose one detail is an {@code Any} of type
 * {@code type.googleapis.com/errors.Error} with the micro error ({@code id=1, code=2, detail=3, status=4}). Encoded
 * here field by field, so this module needs no protobuf runtime.
 */
final class GrpcErrors {

	/** The trailer that carries the details. */
	static final Metadata.Key<byte[]> STATUS_DETAILS = Metadata.Key.of("grpc-status-details-bin",
			Metadata.BINARY_BYTE_MARSHALLER);

	static final String ERROR_TYPE_URL = "type.googleapis.com/errors.Error";

	private GrpcErrors() {
	}

	/** The {@code google.rpc.Status} of {@code error} sent with gRPC code {@code grpcCode}. */
	static byte[] statusDetails(int grpcCode, MicroException error, String json) {
		Proto errorMessage = new Proto().string(1, error.id())
			.varint(2, error.code())
			.string(3, error.detail())
			.string(4, error.status());
		Proto any = new Proto().string(1, ERROR_TYPE_URL).bytes(2, errorMessage.toByteArray());
		return new Proto().varint(1, grpcCode).string(2, json).bytes(3, any.toByteArray()).toByteArray();
	}

	/**
	 * The micro error in a {@code google.rpc.Status}'s {@code errors.Error} detail, or {@code null} when it has none.
	 * @throws IllegalArgumentException when {@code status} is not a well-formed message
	 */
	static @Nullable MicroException fromStatusDetails(byte[] status) {
		for (Field field : fields(status)) {
			if (field.number() != 3 || field.bytes() == null) {
				continue;
			}
			String typeUrl = null;
			byte[] value = null;
			for (Field anyField : fields(field.bytes())) {
				if (anyField.number() == 1 && anyField.bytes() != null) {
					typeUrl = new String(anyField.bytes(), StandardCharsets.UTF_8);
				}
				else if (anyField.number() == 2 && anyField.bytes() != null) {
					value = anyField.bytes();
				}
			}
			if (ERROR_TYPE_URL.equals(typeUrl)) {
				String id = "";
				long code = 0;
				String detail = "";
				String statusText = "";
				for (Field errorField : fields((value != null) ? value : new byte[0])) {
					switch (errorField.number()) {
						case 1 -> id = errorField.text();
						case 2 -> code = errorField.varint();
						case 3 -> detail = errorField.text();
						case 4 -> statusText = errorField.text();
						default -> {
						}
					}
				}
				return new MicroException(id, (int) code, detail, statusText, null);
			}
		}
		return null;
	}

	/** One field of a protobuf message: a varint or a length-delimited value. */
	record Field(int number, long varint, byte @Nullable [] bytes) {

		String text() {
			return (this.bytes != null) ? new String(this.bytes, StandardCharsets.UTF_8) : "";
		}

	}

	/** The varint and length-delimited fields of {@code message}; fixed-width fields are skipped. */
	static List<Field> fields(byte[] message) {
		List<Field> fields = new ArrayList<>();
		int[] at = { 0 };
		while (at[0] < message.length) {
			long key = readVarint(message, at);
			int number = (int) (key >>> 3);
			int wireType = (int) (key & 7);
			switch (wireType) {
				case 0 -> fields.add(new Field(number, readVarint(message, at), null));
				case 1 -> at[0] += 8;
				case 2 -> {
					long length = readVarint(message, at);
					if (length < 0 || at[0] + length > message.length) {
						throw new IllegalArgumentException("truncated field " + number);
					}
					fields.add(new Field(number, 0, Arrays.copyOfRange(message, at[0], at[0] + (int) length)));
					at[0] += (int) length;
				}
				case 5 -> at[0] += 4;
				default -> throw new IllegalArgumentException("unsupported wire type " + wireType);
			}
		}
		return fields;
	}

	private static long readVarint(byte[] message, int[] at) {
		long value = 0;
		for (int shift = 0; shift < 64; shift += 7) {
			if (at[0] >= message.length) {
				throw new IllegalArgumentException("truncated varint");
			}
			byte b = message[at[0]++];
			value |= (long) (b & 0x7F) << shift;
			if ((b & 0x80) == 0) {
				return value;
			}
		}
		throw new IllegalArgumentException("varint too long");
	}

	/** A protobuf message written field by field; fields left at their default value are left out, as protoc does. */
	static final class Proto {

		private final ByteArrayOutputStream out = new ByteArrayOutputStream();

		Proto varint(int field, long value) {
			if (value != 0) {
				writeVarint((long) field << 3);
				writeVarint(value);
			}
			return this;
		}

		Proto string(int field, String value) {
			return bytes(field, value.getBytes(StandardCharsets.UTF_8));
		}

		Proto bytes(int field, byte[] value) {
			if (value.length > 0) {
				writeVarint(((long) field << 3) | 2);
				writeVarint(value.length);
				this.out.writeBytes(value);
			}
			return this;
		}

		byte[] toByteArray() {
			return this.out.toByteArray();
		}

		private void writeVarint(long value) {
			long v = value;
			while ((v & ~0x7FL) != 0) {
				this.out.write((int) ((v & 0x7F) | 0x80));
				v >>>= 7;
			}
			this.out.write((int) v);
		}

	}

}
