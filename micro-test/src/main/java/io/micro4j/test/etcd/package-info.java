/**
 * A real etcd server for tests and benchmarks, launched from its binary.
 */
@NullMarked
package io.micro4j.test.etcd;

import org.jspecify.annotations.NullMarked;
