/**
 * How fast registry changes reach a client's cache.
 */
@NullMarked
package io.micro4j.benchmarks.discovery;

import org.jspecify.annotations.NullMarked;
