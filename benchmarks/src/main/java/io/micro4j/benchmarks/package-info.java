/**
 * Benchmarks: each measures micro4j against a baseline run side by side in the same run, and writes its numbers for
 * {@code docs/benchmarks.md}. Run with the {@code benchmarks} profile; never part of the test run.
 */
@NullMarked
package io.micro4j.benchmarks;

import org.jspecify.annotations.NullMarked;
