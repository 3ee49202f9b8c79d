/**
 * Capturing log events in tests (Logback), to assert what was logged and that a secret was not.
 */
@NullMarked
package io.micro4j.test.logging;

import org.jspecify.annotations.NullMarked;
