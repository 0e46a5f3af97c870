package dev.rebyte.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebyte.it.apps.MetricsWorkloadApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser: headless Debian Chromium, driven by Selenium through the
 * system's chromedriver (no Selenium Manager download: the build has no internet). Loads the page
 * of a forked JVM running a workload and sees the hit rate and the counters change between two
 * reads; saves a screenshot next to the test reports. Without Chromium the test is skipped, except
 * under {@code CI=true}, where it fails.
 */
class DashboardBrowserIT {
  static final Path CHROMIUM = Paths.get(System.getProperty("it.chromium", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER = Paths.get(System.getProperty("it.chromedriver", "/usr/bin/chromedriver"));
  static final Path REPORTS = Paths.get(System.getProperty("it.reports", "target/failsafe-reports"));

  @TempDir Path profile;

  static {
    // Selenium warns when it has no DevTools bindings for this Chromium version; the test uses none.
    Logger.getLogger("org.openqa.selenium.devtools").setLevel(Level.SEVERE);
  }

  @ParameterizedTest
  @MethodSource("dev.rebyte.it.Jdks#all")
  void dashboard_showsHitRateAndCountersMoving(Path java) throws Exception {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (System.getenv("CI") == null) {
      Assumptions.assumeTrue(present, "Chromium or chromedriver missing (apt-get install chromium chromium-driver)");
    }
    assertTrue(present, "CI is set but " + CHROMIUM + " or " + CHROMEDRIVER + " is missing");

    int port = Http.freePort();
    String base = "http://127.0.0.1:" + port;
    try (ForkedJvm.Running jvm = ForkedJvm.on(java)
        .agent("include=dev.rebyte.it.apps;http=" + port + ";leak-detection=paranoid;owners=true")
        .main(MetricsWorkloadApp.class, "60").start()) {
      Http.await(base + "/api/stats", "\"hits\": ", jvm);
      ChromeDriverService service = new ChromeDriverService.Builder()
          .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
      ChromeOptions options = new ChromeOptions();
      options.setBinary(CHROMIUM.toFile());
      options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
          "--disable-background-networking", "--disable-component-update", "--disable-sync",
          "--disable-dev-shm-usage", "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1400,1400");
      WebDriver browser = new ChromeDriver(service, options);
      try {
        browser.get(base + "/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.until(b -> !attribute(b, "hit-rate", "data-value").isEmpty());
        String hitRate = attribute(browser, "hit-rate", "data-value");
        String acquires = text(browser, "acquires");
        String saved = text(browser, "bytes-saved");
        double rate = Double.parseDouble(hitRate);
        assertTrue(rate > 0 && rate <= 1, hitRate);
        assertTrue(text(browser, "hit-rate").matches("\\d+\\.\\d %"), text(browser, "hit-rate"));

        wait.until(b -> !attribute(b, "hit-rate", "data-value").equals(hitRate)
            && !text(b, "acquires").equals(acquires));
        assertNotEquals(acquires, text(browser, "acquires"));
        wait.until(b -> !text(b, "bytes-saved").equals(saved));
        // a second poll with a history draws the charts; the tables list the sites
        wait.until(b -> b.findElements(By.cssSelector("#top-saved td.site")).size() >= 3);
        assertTrue(text(browser, "unrewritten").contains("MetricsWorkloadApp.escape"), text(browser, "unrewritten"));
        assertFalse(text(browser, "status").contains("disconnected"), text(browser, "status"));
        // sessions never closed: the leak list names their site as an owner never closed
        wait.until(b -> text(b, "leak-list").contains("owner never closed"));
        assertTrue(text(browser, "leak-list").contains("Session"), text(browser, "leak-list"));
        Thread.sleep(2000); // a few more samples, for a screenshot that shows lines
        Files.createDirectories(REPORTS);
        Path shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE).toPath();
        String jdk = java.getParent().getParent().getFileName().toString();
        Files.copy(shot, REPORTS.resolve("dashboard-" + jdk + ".png"), StandardCopyOption.REPLACE_EXISTING);
      } finally {
        browser.quit();
        service.stop();
      }
    }
  }

  private static String text(WebDriver browser, String id) {
    return browser.findElement(By.id(id)).getText();
  }

  private static String attribute(WebDriver browser, String id, String name) {
    String value = browser.findElement(By.id(id)).getDomAttribute(name);
    return value == null ? "" : value;
  }
}
