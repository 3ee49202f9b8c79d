/**
 * Helpers shared by the broker implementations; no compatibility promise.
 */
@NullMarked
package io.micro4j.broker.internal;

import org.jspecify.annotations.NullMarked;
