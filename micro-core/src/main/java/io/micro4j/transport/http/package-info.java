/**
 * mucp over HTTP/1.1 on Netty: the server and the pooled keep-alive client, wire-compatible with go-micro's http transport.
 */
@NullMarked
package io.micro4j.transport.http;

import org.jspecify.annotations.NullMarked;
