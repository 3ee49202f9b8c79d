/**
 * Startup: demo-app's time to its first successful call, and the starter's added start-up time.
 */
@NullMarked
package io.micro4j.benchmarks.startup;

import org.jspecify.annotations.NullMarked;
