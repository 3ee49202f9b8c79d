package io.micro4j.transport.http.internal;

import java.io.IOException;

import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TlsFailuresTests {

	@Test
	void certificateRequiredWithoutACertificateSaysTheClientHasNone() {
		assertThat(TlsFailures.describe(alert("certificate_required"), "127.0.0.1", false))
			.startsWith("the server requires a client certificate and this client has none");
	}

	@Test
	void certificateRequiredWithACertificateSaysTheServerDidNotAcceptIt() {
		// TLS 1.3: a client whose certificate's issuer the server did not ask for sends none, and sees this alert
		assertThat(TlsFailures.describe(alert("certificate_required"), "127.0.0.1", true))
			.startsWith("the server refused this client's certificate: it requires one issued by a CA it trusts")
			.contains("certificate_required");
	}

	@Test
	void unknownCaWithACertificateSaysTheServerRefusedIt() {
		assertThat(TlsFailures.describe(alert("unknown_ca"), "127.0.0.1", true))
			.startsWith("the server refused this client's certificate");
	}

	@Test
	void anotherAlertIsReportedAsIs() {
		assertThat(TlsFailures.describe(alert("protocol_version"), "127.0.0.1", true))
			.isEqualTo("the server ended the handshake (Received fatal alert: protocol_version)");
	}

	@Test
	void aFailureThatIsNotAboutTlsHasNoTlsCause() {
		assertThat(TlsFailures.tlsCause(new IOException("Connection refused"))).isNull();
	}

	private static Exception alert(String name) {
		return new IOException("connect failed", new SSLHandshakeException("Received fatal alert: " + name));
	}

}
