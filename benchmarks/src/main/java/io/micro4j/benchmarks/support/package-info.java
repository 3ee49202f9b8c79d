/**
 * Helpers of the benchmark drivers: child JVMs and statistics.
 */
@NullMarked
package io.micro4j.benchmarks.support;

import org.jspecify.annotations.NullMarked;
