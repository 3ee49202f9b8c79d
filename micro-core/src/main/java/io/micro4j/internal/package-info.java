/**
 * Implementation helpers shared across micro4j modules; no compatibility promise.
 */
@NullMarked
package io.micro4j.internal;

import org.jspecify.annotations.NullMarked;
