/**
 * The process plumbing shared by the launchers of real servers in this module: finding a binary, choosing free
 * loopback ports, starting a process with its output in a log, waiting until it is ready, stopping it and deleting
 * its files.
 */
@NullMarked
package io.micro4j.test.support;

import org.jspecify.annotations.NullMarked;
