package io.micro4j.transport.http.internal;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class HostPortTests {

	@Test
	void whenAddressIsHostColonPortThenHostAndPortAreSplit() throws Exception {
		assertThat(HostPort.parse(":0")).isEqualTo(new HostPort("", 0));
		assertThat(HostPort.parse("127.0.0.1:18080")).isEqualTo(new HostPort("127.0.0.1", 18080));
		assertThat(HostPort.parse("0.0.0.0:0")).isEqualTo(new HostPort("0.0.0.0", 0));
		assertThat(HostPort.parse("[::1]:0")).isEqualTo(new HostPort("::1", 0));
		assertThat(HostPort.parse("localhost:8080")).isEqualTo(new HostPort("localhost", 8080));
		assertThat(HostPort.parse("[::1]:0").ipLiteral()).isEqualTo(InetAddress.getByName("::1"));
		assertThat(HostPort.parse("localhost:8080").ipLiteral()).isNull();
		assertThat(HostPort.parse(":8080").bindAddress().getAddress().isAnyLocalAddress()).isTrue();
	}

	@Test
	void whenAddressIsNotHostColonPortThenItIsRejectedWithTheExpectedForm() {
		for (String bad : new String[] { "", "8080", "host:", "host:http", "host:65536", "::1:80", "[::1:80",
				"[]:80", "host:-1" }) {
			assertThatIllegalArgumentException().as(bad)
				.isThrownBy(() -> HostPort.parse(bad))
				.withMessage("address: \"" + bad + "\" (expected: host:port such as 127.0.0.1:8080, [::1]:8080 or :0)");
		}
	}

}
