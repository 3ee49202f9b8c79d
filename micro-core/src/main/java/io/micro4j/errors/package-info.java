/**
 * Errors as go-micro writes them: {@code {id, code, detail, status}} carried by one unchecked exception type.
 */
@NullMarked
package io.micro4j.errors;

import org.jspecify.annotations.NullMarked;
