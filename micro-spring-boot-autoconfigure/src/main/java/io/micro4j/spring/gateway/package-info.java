/**
 * The HTTP API gateway: {@code POST /api/{service}/{endpoint}} with a JSON body becomes a call through the micro
 * client, and the answer or go-micro error comes back as JSON (go-micro's {@code micro api} with its rpc handler).
 */
@NullMarked
package io.micro4j.spring.gateway;

import org.jspecify.annotations.NullMarked;
