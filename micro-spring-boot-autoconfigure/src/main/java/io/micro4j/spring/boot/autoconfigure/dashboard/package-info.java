/**
 * Auto-configuration of the web dashboard ({@code micro.dashboard.enabled=true}).
 */
@NullMarked
package io.micro4j.spring.boot.autoconfigure.dashboard;

import org.jspecify.annotations.NullMarked;
