/**
 * go-micro's http broker: pub/sub through the registry and HTTP POSTs, no broker process; best effort.
 */
@NullMarked
package io.micro4j.broker.http;

import org.jspecify.annotations.NullMarked;
