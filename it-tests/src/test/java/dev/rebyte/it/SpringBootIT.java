package dev.rebyte.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A Spring Boot 3.5 service with Actuator and its own Micrometer (module it-tests-spring), started
 * with the agent and no code change: {@code /actuator/prometheus} shows the {@code rebyte_*} series,
 * and they move when the service handles requests whose byte[] work the agent pooled.
 */
class SpringBootIT {
  static final Path APP = Paths.get(System.getProperty("it.spring.app", "../it-tests-spring/target/rebyte-it-tests-spring.jar"));
  static final Path CLASSPATH = Paths.get(System.getProperty("it.spring.classpath", "../it-tests-spring/target/classpath.txt"));

  @ParameterizedTest
  @MethodSource("dev.rebyte.it.Jdks#all")
  void actuatorPrometheus_showsRebyteSeries_thatMoveWithRequests(Path java) throws Exception {
    List<Path> classPath = new ArrayList<>();
    classPath.add(APP);
    for (String entry : Files.readString(CLASSPATH, StandardCharsets.UTF_8).trim().split(File.pathSeparator)) {
      classPath.add(Paths.get(entry));
    }
    int port = Http.freePort();
    String base = "http://127.0.0.1:" + port;
    try (ForkedJvm.Running app = ForkedJvm.on(java).classPath(classPath)
        .agent("include=com.acme.shop")
        .main("dev.rebyte.it.spring.ShopApplication", "--server.port=" + port, "--server.address=127.0.0.1")
        .start()) {
      Http.await(base + "/actuator/health", "UP", app);
      assertEquals(200, Http.get(base + "/checksum?kb=64").status);
      PrometheusText before = new PrometheusText(
          Http.await(base + "/actuator/prometheus", "rebyte_pool_acquires_total{", app).body);
      for (String series : MetricsEndpointIT.DOCUMENTED) {
        assertTrue(before.has(series), series + " in\n" + before.text);
      }
      assertTrue(before.has("http_server_requests_seconds_count"), "Boot's own meters are there too");
      for (int i = 0; i < 20; i++) {
        assertEquals(200, Http.get(base + "/checksum?kb=256").status);
      }
      Thread.sleep(300); // the binder reuses one snapshot for 200 ms
      PrometheusText after = new PrometheusText(Http.get(base + "/actuator/prometheus").body);
      double hits = after.sum("rebyte_pool_acquires_total", "result=\"hit\"");
      assertTrue(hits >= before.sum("rebyte_pool_acquires_total", "result=\"hit\"") + 19, after.text);
      assertTrue(after.sum("rebyte_pool_acquires_total", "result=\"hit\"", "size_class=\"8192\"") >= 19, after.text);
      assertTrue(after.sum("rebyte_bytes_saved_bytes_total") >= before.sum("rebyte_bytes_saved_bytes_total") + 19 * 8192,
          after.text);
      assertTrue(after.sum("rebyte_sites", "decision=\"pooled\"") >= 1, after.text);
      assertTrue(app.stderr().contains("[rebyte] metrics bound to Micrometer's global registry"), app.describe());
    }
  }
}
