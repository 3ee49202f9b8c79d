/**
 * go-micro's NATS broker on jnats: subject = topic, the JSON envelope as payload, queue groups; at most once.
 */
@NullMarked
package io.micro4j.broker.nats;

import org.jspecify.annotations.NullMarked;
