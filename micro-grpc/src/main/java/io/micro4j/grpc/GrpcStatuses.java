package io.micro4j.grpc;

import io.grpc.Status;
import io.micro4j.errors.MicroException;

/**
 * go-micro's mapping between micro error codes (HTTP statuses) and gRPC status codes, both ways.
 * <p>
 * Micro to gRPC as go-micro's gRPC server maps it: 400 InvalidArgument, 401 Unauthenticated, 403 PermissionDenied,
 * 404 NotFound, 408 DeadlineExceeded, 409 AlreadyExists, 412 FailedPrecondition, 500 Internal, 501 Unimplemented,
 * 503 Unavailable, anything else Unknown. gRPC to micro is its reverse, completed for the codes go-micro leaves out:
 * Cancelled 499, ResourceExhausted 429, Aborted 409, OutOfRange 400, the others 500.
 */
public final class GrpcStatuses {

	private GrpcStatuses() {
	}

	/** The gRPC status code of micro error code {@code code}. */
	public static Status.Code toGrpc(int code) {
		return switch (code) {
			case 400 -> Status.Code.INVALID_ARGUMENT;
			case 401 -> Status.Code.UNAUTHENTICATED;
			case 403 -> Status.Code.PERMISSION_DENIED;
			case 404 -> Status.Code.NOT_FOUND;
			case 408 -> Status.Code.DEADLINE_EXCEEDED;
			case 409 -> Status.Code.ALREADY_EXISTS;
			case 412 -> Status.Code.FAILED_PRECONDITION;
			case 500 -> Status.Code.INTERNAL;
			case 501 -> Status.Code.UNIMPLEMENTED;
			case 503 -> Status.Code.UNAVAILABLE;
			default -> Status.Code.UNKNOWN;
		};
	}

	/** The micro error code of gRPC status code {@code code}; 200 for OK. */
	public static int toMicro(Status.Code code) {
		return switch (code) {
			case OK -> 200;
			case INVALID_ARGUMENT, OUT_OF_RANGE -> 400;
			case UNAUTHENTICATED -> 401;
			case PERMISSION_DENIED -> 403;
			case NOT_FOUND -> 404;
			case DEADLINE_EXCEEDED -> 408;
			case ALREADY_EXISTS, ABORTED -> 409;
			case FAILED_PRECONDITION -> 412;
			case RESOURCE_EXHAUSTED -> 429;
			case CANCELLED -> 499;
			case UNIMPLEMENTED -> 501;
			case UNAVAILABLE -> 503;
			default -> 500;
		};
	}

	/** {@code status} as a micro error with id {@code id} (code 200 for OK). */
	public static MicroException toMicroException(String id, Status status) {
		int code = toMicro(status.getCode());
		String detail = (status.getDescription() != null) ? status.getDescription() : status.getCode().name();
		return new MicroException(id, code, detail, MicroException.statusText(code), status.getCause());
	}

}
