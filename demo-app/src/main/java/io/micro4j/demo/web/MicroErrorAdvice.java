package io.micro4j.demo.web;

import io.micro4j.errors.MicroException;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Answers a {@link MicroException} thrown by a controller with its HTTP code and go-micro's error JSON
 * ({@code {"id":...,"code":400,"detail":...,"status":"Bad Request"}}).
 */
@RestControllerAdvice
public class MicroErrorAdvice {

	/** The error's code as the HTTP status (500 when it is not one), its JSON as the body. */
	@ExceptionHandler(MicroException.class)
	public ResponseEntity<String> microError(MicroException ex) {
		HttpStatus status = HttpStatus.resolve(ex.code());
		return ResponseEntity.status((status != null) ? status : HttpStatus.INTERNAL_SERVER_ERROR)
			.contentType(MediaType.APPLICATION_JSON)
			.body(ex.toJson());
	}

}
