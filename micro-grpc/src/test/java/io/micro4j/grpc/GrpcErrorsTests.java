package io.micro4j.grpc;

import java.util.Base64;

import io.grpc.Status;
import io.micro4j.errors.MicroException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GrpcErrorsTests {

	/** The trailer go-micro's gRPC server sent for errors.BadRequest("greeter.hello", "bad name %q", "error"). */
	private static final String OBSERVED = "CAMSVnsiaWQiOiJncmVldGVyLmhlbGxvIiwiY29kZSI6NDAwLCJkZXRhaWwiOiJiYWQgbmFtZSBcImVycm9yXCIiLCJzdGF0dXMiOiJCYWQgUmVxdWVzdCJ9GlUKIHR5cGUuZ29vZ2xlYXBpcy5jb20vZXJyb3JzLkVycm9yEjEKDWdyZWV0ZXIuaGVsbG8QkAMaEGJhZCBuYW1lICJlcnJvciIiC0JhZCBSZXF1ZXN0";

	@Test
	void statusDetailsAreByteForByteWhatGoMicroSends() {
		MicroException error = MicroException.badRequest("greeter.hello", "bad name %q", "error");
		String json = "{\"id\":\"greeter.hello\",\"code\":400,\"detail\":\"bad name \\\"error\\\"\",\"status\":\"Bad Request\"}";

		assertThat(error.toJson()).isEqualTo(json);
		assertThat(Base64.getEncoder().encodeToString(
				GrpcErrors.statusDetails(Status.Code.INVALID_ARGUMENT.value(), error, json))).isEqualTo(OBSERVED);
	}

}
