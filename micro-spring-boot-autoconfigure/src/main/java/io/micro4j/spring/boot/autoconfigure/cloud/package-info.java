/**
 * Auto-configuration of the Spring Cloud bridge ({@code micro.discovery.*}).
 */
@NullMarked
package io.micro4j.spring.boot.autoconfigure.cloud;

import org.jspecify.annotations.NullMarked;
