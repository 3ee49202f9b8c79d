package io.micro4j.server;

import io.micro4j.metadata.Metadata;

/**
 * A request as a handler wrapper sees it.
 *
 * @param service the service name
 * @param endpoint the endpoint, e.g. {@code Greeter.Hello}
 * @param contentType the request's content type
 * @param headers the incoming metadata
 * @param body the decoded request object
 */
public record ServerRequest(String service, String endpoint, String contentType, Metadata headers, Object body) {

}
