/**
 * Helpers of the benchmark drivers: child JVMs, other child processes (peers) and statistics.
 */
@NullMarked
package io.micro4j.benchmarks.support;

import org.jspecify.annotations.NullMarked;
