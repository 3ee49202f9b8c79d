/**
 * Auto-configuration of micro4j's Micrometer observation conventions.
 */
@NullMarked
package io.micro4j.spring.boot.autoconfigure.observation;

import org.jspecify.annotations.NullMarked;
