/**
 * Auto-configuration of the threads every micro component shares ({@code micro.runtime.*}).
 */
@NullMarked
package io.micro4j.spring.boot.autoconfigure.runtime;

import org.jspecify.annotations.NullMarked;
