package io.micro4j.demo.greeter;

/**
 * The request of {@code Greeter.Hello}: go-micro's {@code {"name": ...}}.
 *
 * @param name who to greet
 */
public record HelloRequest(String name) {
}
