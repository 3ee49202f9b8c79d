/**
 * The service registry: go-micro's Service/Node/Endpoint/Value model, its JSON form, the in-memory registry and the watch-fed cache.
 */
@NullMarked
package io.micro4j.registry;

import org.jspecify.annotations.NullMarked;
