/**
 * Auto-configuration of the service registry ({@code micro.registry.*}).
 */
@NullMarked
package io.micro4j.spring.boot.autoconfigure.registry;

import org.jspecify.annotations.NullMarked;
