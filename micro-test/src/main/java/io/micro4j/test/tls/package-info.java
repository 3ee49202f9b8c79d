/**
 * Certificates for TLS tests, made at test time with the JDK's {@code keytool}: a CA, server certificates (good,
 * expired, for another host, from an unknown CA) and a client certificate, as PEM files and key stores.
 */
@NullMarked
package io.micro4j.test.tls;

import org.jspecify.annotations.NullMarked;
