package io.micro4j.transport.http.internal;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

import io.netty.handler.ssl.NotSslRecordException;
import org.jspecify.annotations.Nullable;

/**
 * Says in words what made a TLS handshake fail, from the exception chain the JDK and Netty produce.
 */
public final class TlsFailures {

	private TlsFailures() {
	}

	/** The TLS failure in {@code failure}'s cause chain, or {@code null} when it is not about TLS. */
	public static @Nullable Throwable tlsCause(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof SSLException) {
				return cause;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return null;
	}

	/**
	 * What went wrong in a client's handshake with {@code host}, for the error message: an expired or not yet valid
	 * certificate, one that does not name the host, one from an unknown CA, a server that refused this client's
	 * certificate or wanted one, or a peer that does not speak TLS; otherwise the JDK's own words.
	 * @param hasCertificate whether the client had a certificate to present
	 */
	public static String describe(Throwable failure, String host, boolean hasCertificate) {
		String last = String.valueOf(failure.getMessage());
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			String message = String.valueOf(cause.getMessage());
			if (cause instanceof CertificateExpiredException || (cause instanceof CertPathValidatorException invalid
					&& invalid.getReason() == CertPathValidatorException.BasicReason.EXPIRED)) {
				return "the server's certificate has expired (" + message + ")";
			}
			if (cause instanceof CertificateNotYetValidException || (cause instanceof CertPathValidatorException invalid
					&& invalid.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID)) {
				return "the server's certificate is not valid yet (" + message + ")";
			}
			if (cause instanceof CertPathBuilderException) {
				return "the server's certificate is not issued by a CA this client trusts (" + message + ")";
			}
			if (message.startsWith("No subject alternative") || message.startsWith("No name matching")) {
				return "the server's certificate does not name " + host + " (" + message + ")";
			}
			if (cause instanceof NotSslRecordException
					|| message.startsWith("Unsupported or unrecognized SSL message")) {
				return "the node at " + host + " does not speak TLS";
			}
			if (cause instanceof SSLHandshakeException && message.contains("Received fatal alert")) {
				return describeAlert(message, hasCertificate);
			}
			last = message;
			if (cause.getCause() == cause) {
				break;
			}
		}
		return last;
	}

	private static String describeAlert(String message, boolean hasCertificate) {
		boolean refused = message.contains("certificate_required") || message.contains("bad_certificate")
				|| message.contains("handshake_failure");
		if (refused && !hasCertificate) {
			return "the server requires a client certificate and this client has none (" + message + ")";
		}
		if (message.contains("certificate_required")) {
			// TLS 1.3: the client offers a certificate only when its issuer is one the server asked for
			return "the server refused this client's certificate: it requires one issued by a CA it trusts (" + message
					+ ")";
		}
		if (message.contains("bad_certificate") || message.contains("unknown_ca")
				|| message.contains("certificate_unknown") || message.contains("certificate_expired")) {
			return "the server refused this client's certificate (" + message + ")";
		}
		return "the server ended the handshake (" + message + ")";
	}

}
