/**
 * The etcd registry: go-micro's registry records, leases and watches on etcd v3.
 */
@NullMarked
package io.micro4j.registry.etcd;

import org.jspecify.annotations.NullMarked;
