/**
 * The demo application: the {@code greeter} service.
 */
@NullMarked
package io.micro4j.demo;

import org.jspecify.annotations.NullMarked;
