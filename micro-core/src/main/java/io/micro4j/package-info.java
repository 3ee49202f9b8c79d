/**
 * micro4j core: go-micro's model of microservices in Java.
 */
@NullMarked
package io.micro4j;

import org.jspecify.annotations.NullMarked;
