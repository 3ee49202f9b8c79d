/**
 * Call metadata (case-insensitive, canonical header keys) and the current call's context (metadata, deadline), which
 * follows Micrometer's context-propagation through {@link io.micro4j.metadata.CallContextAccessor}.
 */
@NullMarked
package io.micro4j.metadata;

import org.jspecify.annotations.NullMarked;
