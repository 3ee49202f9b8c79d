/**
 * The etcd plumbing of {@link io.micro4j.registry.etcd.EtcdRegistry}: the fail-fast jetcd connection, node
 * registrations kept alive by leases, prefix watches. No compatibility promise.
 */
@NullMarked
package io.micro4j.registry.etcd.internal;

import org.jspecify.annotations.NullMarked;
