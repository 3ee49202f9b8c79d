package io.micro4j.spring.boot.autoconfigure.dashboard;

import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard is an ordinary set of Spring MVC endpoints: an application's Spring Security filter chain guards
 * it like the rest of the application, and the page sends the cookie CSRF token of {@code csrf.spa()}.
 */
class DashboardSecurityTests {

	private static final String CALL = "{\"service\":\"greeter\",\"endpoint\":\"Greeter.Hello\","
			+ "\"request\":{\"name\":\"John\",\"times\":1}}";

	private static ConfigurableApplicationContext app;

	private static String base;

	@BeforeAll
	static void start() {
		app = DashboardApp.start(new Class<?>[] { Secured.class }, "spring.autoconfigure.exclude=",
				"spring.security.user.name=ops", "spring.security.user.password=secret");
		base = "http://127.0.0.1:" + DashboardApp.port(app) + "/micro";
	}

	@AfterAll
	static void stop() {
		app.close();
	}

	@Test
	void whenNoCredentialsAreSentThenThePageTheJsonAndTheStreamAre401() throws Exception {
		HttpClient http = HttpClient.newHttpClient();
		for (String path : new String[] { "/", "/dashboard.js", "/api/services", "/api/events" }) {
			HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as(path).isEqualTo(401);
		}
	}

	@Test
	void whenSignedInThenCallsNeedTheCsrfTokenThePageSends() throws Exception {
		CookieManager cookies = new CookieManager();
		HttpClient http = HttpClient.newBuilder().cookieHandler(cookies).build();

		HttpResponse<String> page = http.send(signedIn("/").build(), HttpResponse.BodyHandlers.ofString());
		assertThat(page.statusCode()).isEqualTo(200);
		HttpResponse<String> services = http.send(signedIn("/api/services").build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(services.statusCode()).isEqualTo(200);
		String token = cookies.getCookieStore()
			.getCookies()
			.stream()
			.filter((cookie) -> cookie.getName().equals("XSRF-TOKEN"))
			.map(HttpCookie::getValue)
			.findFirst()
			.orElseThrow(() -> new AssertionError("no XSRF-TOKEN cookie"));

		HttpResponse<String> withoutToken = http.send(call().build(), HttpResponse.BodyHandlers.ofString());
		HttpResponse<String> withToken = http.send(call().header("X-XSRF-TOKEN", token).build(),
				HttpResponse.BodyHandlers.ofString());

		assertThat(withoutToken.statusCode()).isEqualTo(403);
		assertThat(withToken.statusCode()).isEqualTo(200);
		assertThat(withToken.body()).contains("\"ok\":true", "Hello John");
	}

	private static HttpRequest.Builder call() {
		return signedIn("/api/call").header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(CALL));
	}

	private static HttpRequest.Builder signedIn(String path) {
		String credentials = Base64.getEncoder().encodeToString("ops:secret".getBytes(StandardCharsets.UTF_8));
		return HttpRequest.newBuilder(URI.create(base + path))
			.timeout(Duration.ofSeconds(10))
			.header("Authorization", "Basic " + credentials);
	}

	@Configuration(proxyBeanMethods = false)
	static class Secured {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) {
			return http
				.authorizeHttpRequests((requests) -> requests.requestMatchers("/error").permitAll().anyRequest().authenticated())
				.httpBasic(Customizer.withDefaults())
				.csrf((csrf) -> csrf.spa())
				.build();
		}

	}

}
