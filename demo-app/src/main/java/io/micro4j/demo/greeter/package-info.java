/**
 * The greeter RPC: its messages, the handler and the typed client.
 */
@NullMarked
package io.micro4j.demo.greeter;

import org.jspecify.annotations.NullMarked;
