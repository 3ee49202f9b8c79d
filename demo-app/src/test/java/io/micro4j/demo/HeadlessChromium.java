package io.micro4j.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.micro4j.test.support.ServerProcess;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver (WebDriver): no browser or driver download
 * (Selenium Manager is never asked), a fresh profile in a temporary directory, no background networking. A missing
 * binary fails with the install hint.
 */
final class HeadlessChromium implements AutoCloseable {

	/** How to install the browser and its driver on Debian. */
	static final String INSTALL_HINT = "apt-get install chromium chromium-driver";

	private static final List<String> BROWSERS = List.of("chromium", "chromium-browser");

	private final Path profile;

	private final ChromeDriver driver;

	private HeadlessChromium(Path profile, ChromeDriver driver) {
		this.profile = profile;
		this.driver = driver;
	}

	/** Starts Chromium with a window of {@code width} x {@code height} pixels. */
	static HeadlessChromium start(int width, int height) throws IOException {
		Path browser = BROWSERS.stream()
			.map(ServerProcess::onPath)
			.flatMap(java.util.Optional::stream)
			.findFirst()
			.orElseThrow(() -> missing("chromium"));
		Path chromedriver = ServerProcess.onPath("chromedriver").orElseThrow(() -> missing("chromedriver"));
		Path profile = Files.createTempDirectory("micro4j-chromium-");
		ChromeOptions options = new ChromeOptions().setBinary(browser.toFile())
			.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
					"--disable-background-networking", "--disable-component-update", "--disable-sync",
					"--disable-dev-shm-usage", "--window-size=" + width + "," + height,
					"--user-data-dir=" + profile);
		options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
			.usingAnyFreePort()
			.withTimeout(Duration.ofSeconds(30))
			.build();
		try {
			return new HeadlessChromium(profile, new ChromeDriver(service, options));
		}
		catch (RuntimeException ex) {
			ServerProcess.deleteQuietly(profile);
			throw ex;
		}
	}

	ChromeDriver driver() {
		return this.driver;
	}

	/** What the page shows and what its console said: for the message of a failed wait. */
	String diagnostics() {
		StringBuilder text = new StringBuilder("\n--- page at ").append(this.driver.getCurrentUrl()).append(" ---\n");
		text.append(this.driver.findElement(org.openqa.selenium.By.tagName("body")).getText());
		text.append("\n--- console ---\n");
		for (LogEntry entry : this.driver.manage().logs().get(LogType.BROWSER)) {
			text.append(entry.getLevel()).append(' ').append(entry.getMessage()).append('\n');
		}
		return text.toString();
	}

	@Override
	public void close() {
		try {
			this.driver.quit();
		}
		finally {
			ServerProcess.deleteQuietly(this.profile);
		}
	}

	private static IllegalStateException missing(String binary) {
		return new IllegalStateException(binary + " was not found on the PATH: install it with `" + INSTALL_HINT
				+ "` (or run scripts/install-test-tools)");
	}

}
