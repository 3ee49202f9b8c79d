package io.micro4j.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.micro4j.server.Server;
import io.micro4j.test.etcd.EtcdServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard end to end: the demo with {@code micro.dashboard.enabled=true} on etcd, its page in headless
 * Chromium. The page lists {@code greeter} with its node, calls {@code Greeter.Hello} with {@code {"name":"John"}}
 * through the keyboard and shows {@code Hello John}; a second demo node appears without a reload. A screenshot is
 * written to {@code target/dashboard.png} (the one in {@code docs/images/} was taken this way).
 */
class DashboardBrowserTests {

	@RegisterExtension
	static final EtcdServer etcd = new EtcdServer();

	private static final Duration WAIT = Duration.ofSeconds(20);

	private final List<ConfigurableApplicationContext> apps = new ArrayList<>();

	@AfterEach
	void close() {
		for (int i = this.apps.size() - 1; i >= 0; i--) {
			this.apps.get(i).close();
		}
	}

	private ConfigurableApplicationContext demo(String... extra) {
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
				"--micro.server.address=127.0.0.1:0", "--micro.registry.type=etcd",
				"--micro.registry.address=" + etcd.address(), "--spring.main.banner-mode=off"));
		args.addAll(List.of(extra));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(GreeterApplication.class)
			.run(args.toArray(String[]::new));
		this.apps.add(context);
		return context;
	}

	@Test
	void theDashboardListsTheGreeterCallsHelloAndShowsASecondNodeWithoutReload() throws Exception {
		ConfigurableApplicationContext first = demo("--micro.dashboard.enabled=true");
		String firstNode = first.getBean(Server.class).nodeId();
		String port = first.getEnvironment().getRequiredProperty("local.server.port");

		try (HeadlessChromium chromium = HeadlessChromium.start(1280, 1000)) {
			try {
				walkThrough(chromium.driver(), port, firstNode);
			}
			catch (TimeoutException | AssertionError ex) {
				throw new AssertionError(ex.getMessage() + chromium.diagnostics(), ex);
			}
		}
	}

	private void walkThrough(ChromeDriver browser, String port, String firstNode) throws Exception {
		{
			WebDriverWait wait = new WebDriverWait(browser, WAIT);
			browser.get("http://127.0.0.1:" + port + "/micro/");
			browser.executeScript("window.loadedOnce = true");

			// the services list, then the greeter's node: chosen with the keyboard
			WebElement greeter = wait.until(ExpectedConditions
				.elementToBeClickable(By.cssSelector("#services button[data-service='greeter']")));
			wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("live"), "Live"));
			greeter.sendKeys(Keys.ENTER);
			wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-node='" + firstNode + "']")));
			assertThat(browser.switchTo().activeElement().getText()).as("focus moves to the service").isEqualTo("greeter");
			assertThat(rows(browser)).isEqualTo(1);

			// Greeter.Hello: open it, type the request, press Enter on its button
			WebElement hello = browser.findElement(By.cssSelector("details[data-endpoint='Greeter.Hello']"));
			hello.findElement(By.tagName("summary")).sendKeys(Keys.ENTER);
			WebElement request = hello.findElement(By.tagName("textarea"));
			wait.until(ExpectedConditions.visibilityOf(request));
			assertThat(request.getAttribute("value")).as("the skeleton from the value tree")
				.isEqualToIgnoringWhitespace("{\"name\":\"\"}");
			request.clear();
			request.sendKeys("{\"name\":\"John\"}");
			hello.findElement(By.cssSelector("button[type='submit']")).sendKeys(Keys.ENTER);
			WebElement result = hello.findElement(By.tagName("output"));
			wait.until(ExpectedConditions.textToBePresentInElement(result, "Hello John"));
			assertThat(result.getText()).startsWith("OK · ").contains("ms", "\"msg\": \"Hello John\"");
			assertThat(result.getAttribute("aria-live")).isEqualTo("polite");

			// a second node: it appears through the event stream, the page is not reloaded
			String secondNode = demo().getBean(Server.class).nodeId();
			wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-node='" + secondNode + "']")));
			assertThat(rows(browser)).isEqualTo(2);
			assertThat(browser.executeScript("return window.loadedOnce === true")).as("no reload").isEqualTo(true);
			assertThat(result.getText()).as("the call panel kept its answer").contains("Hello John");
			wait.until(ExpectedConditions.textToBePresentInElementLocated(
					By.cssSelector("#services button[data-service='greeter']"), "2 nodes"));

			// accessible and self-contained: every field labelled, nothing loaded from another origin
			assertThat(browser.executeScript("return [...document.querySelectorAll('textarea, input')]"
					+ ".filter((e) => e.labels.length === 0).map((e) => e.id)")).asList().isEmpty();
			assertThat(browser.executeScript("return performance.getEntriesByType('resource')"
					+ ".map((e) => e.name).filter((n) => !n.startsWith(location.origin))")).asList().isEmpty();

			Path screenshot = Path.of("target", "dashboard.png");
			Files.createDirectories(screenshot.getParent());
			Files.write(screenshot, browser.getScreenshotAs(OutputType.BYTES));
			assertThat(Files.size(screenshot)).isPositive();
		}
	}

	private static int rows(ChromeDriver browser) {
		return browser.findElements(By.cssSelector("section[data-version] tbody tr")).size();
	}

}
