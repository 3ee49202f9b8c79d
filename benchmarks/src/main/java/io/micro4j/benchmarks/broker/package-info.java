/**
 * Publish-to-deliver benchmarks of the brokers against the raw client libraries.
 */
@NullMarked
package io.micro4j.benchmarks.broker;

import org.jspecify.annotations.NullMarked;
