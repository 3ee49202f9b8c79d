/**
 * Auto-configuration of the micro server and its lifecycle ({@code micro.server.*}).
 */
@NullMarked
package io.micro4j.spring.boot.autoconfigure.server;

import org.jspecify.annotations.NullMarked;
