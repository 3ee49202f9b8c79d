/**
 * Auto-configuration of node selection ({@code micro.selector.*}).
 */
@NullMarked
package io.micro4j.spring.boot.autoconfigure.selector;

import org.jspecify.annotations.NullMarked;
