/**
 * The in-memory registry: the embedded default, with TTL expiry and watch.
 */
@NullMarked
package io.micro4j.registry.memory;

import org.jspecify.annotations.NullMarked;
