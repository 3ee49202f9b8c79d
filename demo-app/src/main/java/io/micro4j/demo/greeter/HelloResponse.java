package io.micro4j.demo.greeter;

/**
 * The answer of {@code Greeter.Hello}: go-micro's {@code {"msg": ...}}.
 *
 * @param msg the greeting
 */
public record HelloResponse(String msg) {
}
