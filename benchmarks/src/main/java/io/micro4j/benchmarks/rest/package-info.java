/**
 * The Spring MVC baseline of the unary RPC benchmark.
 */
@NullMarked
package io.micro4j.benchmarks.rest;

import org.jspecify.annotations.NullMarked;
