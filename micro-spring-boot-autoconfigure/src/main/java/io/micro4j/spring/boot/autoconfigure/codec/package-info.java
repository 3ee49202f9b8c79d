/**
 * Auto-configuration of the body codecs.
 */
@NullMarked
package io.micro4j.spring.boot.autoconfigure.codec;

import org.jspecify.annotations.NullMarked;
