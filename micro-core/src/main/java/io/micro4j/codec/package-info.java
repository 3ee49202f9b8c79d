/**
 * Body codecs by content type: JSON, protobuf, protobuf as JSON, raw bytes.
 */
@NullMarked
package io.micro4j.codec;

import org.jspecify.annotations.NullMarked;
