/**
 * Helpers of the security module; no compatibility promise.
 */
@NullMarked
package io.micro4j.security.internal;

import org.jspecify.annotations.NullMarked;
