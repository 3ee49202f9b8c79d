/**
 * Request/response transport abstraction under the client and server; mucp over HTTP lives in {@code transport.http}.
 */
@NullMarked
package io.micro4j.transport;

import org.jspecify.annotations.NullMarked;
