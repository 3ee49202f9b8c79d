package io.micro4j.grpc;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import io.grpc.Metadata;
import io.micro4j.errors.MicroException;

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
