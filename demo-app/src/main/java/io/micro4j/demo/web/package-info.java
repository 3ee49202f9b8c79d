/**
 * The REST side of the demo.
 */
@NullMarked
package io.micro4j.demo.web;

import org.jspecify.annotations.NullMarked;
