/**
 * The in-memory broker: the embedded default, with queue groups.
 */
@NullMarked
package io.micro4j.broker.memory;

import org.jspecify.annotations.NullMarked;
