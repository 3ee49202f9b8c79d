/**
 * Auto-configuration of the message broker ({@code micro.broker.*}).
 */
@NullMarked
package io.micro4j.spring.boot.autoconfigure.broker;

import org.jspecify.annotations.NullMarked;
