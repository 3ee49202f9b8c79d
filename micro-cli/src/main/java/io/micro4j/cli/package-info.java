/**
 * The {@code micro} command line ({@link io.micro4j.cli.MicroCli}): go-micro's CLI for micro4j and go-micro
 * services, on the non-Spring API.
 */
@NullMarked
package io.micro4j.cli;

import org.jspecify.annotations.NullMarked;
