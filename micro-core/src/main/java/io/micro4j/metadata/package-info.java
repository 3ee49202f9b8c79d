/**
 * Call metadata (case-insensitive, canonical header keys) and the current call's context (metadata, deadline).
 */
@NullMarked
package io.micro4j.metadata;

import org.jspecify.annotations.NullMarked;
