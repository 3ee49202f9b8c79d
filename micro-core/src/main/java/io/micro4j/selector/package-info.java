/**
 * Node selection: strategies (random, round robin, least request), filters and passive outlier ejection.
 */
@NullMarked
package io.micro4j.selector;

import org.jspecify.annotations.NullMarked;
