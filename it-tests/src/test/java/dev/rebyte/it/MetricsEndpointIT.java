package dev.rebyte.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebyte.it.apps.MetricsWorkloadApp;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The agent's own endpoint ({@code rebyte.http}) in a forked JVM running a workload. */
class MetricsEndpointIT {
  static final List<String> DOCUMENTED = List.of(
      "rebyte_pool_acquires_total", "rebyte_pool_releases_total", "rebyte_pool_retained_bytes",
      "rebyte_pool_max_bytes", "rebyte_pool_retained_buffers", "rebyte_pool_evictions_total",
      "rebyte_bytes_saved_bytes_total", "rebyte_buffers_outstanding", "rebyte_leaks_total", "rebyte_sites");

  @ParameterizedTest
  @MethodSource("dev.rebyte.it.Jdks#all")
  void endpoint_servesMetricsStatsAndDashboard_andCountersMove(Path java) throws Exception {
    int port = Http.freePort();
    String base = "http://127.0.0.1:" + port;
    Path classLog = ForkedJvm.runDirectory().resolve("classes.log");
    try (ForkedJvm.Running jvm = ForkedJvm.on(java)
        .agent("include=dev.rebyte.it.apps;http=" + port)
        .jvm("-Xlog:class+load=info:file=" + classLog)
        .main(MetricsWorkloadApp.class, "60").start()) {
      Http first = awaitWorkloadRecorded(base, jvm);
      assertTrue(first.contentType.startsWith("text/plain; version=0.0.4"), first.contentType);
      PrometheusText before = new PrometheusText(first.body);
      for (String series : DOCUMENTED) {
        assertTrue(before.has(series), series + " in\n" + first.body);
      }
      assertTrue(before.has("jvm_gc_pause_seconds_count") || before.has("jvm_gc_memory_allocated_bytes_total"), first.body);
      assertTrue(before.has("process_uptime_seconds"), first.body);
      assertTrue(before.sum("rebyte_sites", "decision=\"pooled\"") >= 4, first.body);
      assertTrue(before.sum("rebyte_sites", "decision=\"rejected\"") >= 1, first.body);
      assertTrue(first.body.contains("rebyte_pool_acquires_total{result=\"hit\",size_class=\"8192\"}"), first.body);
      assertFalse(first.body.contains("io_micrometer") || first.body.contains("dev_rebyte_shaded"), first.body);

      Thread.sleep(1500);
      PrometheusText after = new PrometheusText(Http.get(base + "/metrics").body);
      assertTrue(after.sum("rebyte_pool_acquires_total", "result=\"hit\"") > before.sum("rebyte_pool_acquires_total", "result=\"hit\""));
      assertTrue(after.sum("rebyte_bytes_saved_bytes_total") > before.sum("rebyte_bytes_saved_bytes_total"));
      assertTrue(after.sum("rebyte_pool_retained_bytes") > 0);
      assertTrue(after.sum("rebyte_pool_retained_bytes") <= after.sum("rebyte_pool_max_bytes"));

      Http stats = Http.get(base + "/api/stats");
      assertEquals(200, stats.status);
      assertTrue(stats.contentType.startsWith("application/json"), stats.contentType);
      for (String field : List.of("\"totals\": {", "\"hits\": ", "\"classes\": [", "\"sites\": [", "\"unrewritten\": [",
          "\"leaks\": [", "\"gc\": [", "\"config\": \"", "\"decisions\": {")) {
        assertTrue(stats.body.contains(field), field + " in " + stats.body);
      }
      assertTrue(stats.body.contains("\"method\": \"copy\", \"line\": "), stats.body);
      assertTrue(stats.body.contains("\"decision\": \"pooled\""), stats.body);
      assertTrue(stats.body.contains("\"method\": \"escape\"") && stats.body.contains("\"decision\": \"rejected\""), stats.body);

      Http page = Http.get(base + "/");
      assertEquals(200, page.status);
      assertTrue(page.contentType.startsWith("text/html"), page.contentType);
      assertTrue(page.body.contains("<script src=\"dashboard.js\">"), page.body);
      assertFalse(page.body.contains("http://") || page.body.contains("https://"), "nothing fetched from the network");
      assertEquals(200, Http.get(base + "/dashboard.js").status);
      assertEquals(200, Http.get(base + "/dashboard.css").status);
      assertEquals(200, Http.call("HEAD", base + "/metrics").status);

      Http missing = Http.get(base + "/nope");
      assertEquals(404, missing.status);
      Http post = Http.call("POST", base + "/metrics");
      assertEquals(405, post.status);
      Http delete = Http.call("DELETE", base + "/api/stats");
      assertEquals(405, delete.status);
      for (Http h : List.of(missing, post, delete)) {
        assertFalse(h.body.contains("Exception") || h.body.contains("\tat "), h.body);
      }
      String log = jvm.stderr();
      assertTrue(log.contains("[rebyte] dashboard at http://127.0.0.1:" + port + "/"), jvm.describe());
      assertFalse(log.contains("not in this build"), jvm.describe());
      // The endpoint must not touch what the application may configure: the JDK's HttpServer reads
      // sun.net.httpserver.* once, at its first use; were that the agent's, before main, an app's
      // own nodelay setting would be lost (40 ms delayed ACKs on every response).
      String loaded = Files.readString(classLog);
      assertTrue(loaded.contains("dev.rebyte.agent.http.PlainHttpServer"), "the class log works");
      assertFalse(loaded.contains("sun.net.httpserver."), "the agent loaded the JDK's HttpServer");
    }
  }

  @ParameterizedTest
  @MethodSource("dev.rebyte.it.Jdks#all")
  void portInUse_oneClearLine_appRunsOn(Path java) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ForkedJvm.Result r = ForkedJvm.on(java)
          .agent("include=dev.rebyte.it.apps;http=" + taken.getLocalPort())
          .main(MetricsWorkloadApp.class, "2").run();
      assertEquals(0, r.exitCode, r.describe());
      assertTrue(r.stdout.contains("done"), r.describe());
      List<String> lines = r.stderrLines("[rebyte] rebyte.http=127.0.0.1:" + taken.getLocalPort() + ": cannot listen there");
      assertEquals(1, lines.size(), r.describe());
      assertTrue(lines.get(0).contains("the application runs on"), r.describe());
      assertFalse(r.stderr.contains("\tat "), "no stack trace" + r.describe());
      assertTrue(r.poolStats().get("Hits") > 0, "rewriting still works" + r.describe());
    }
  }

  /**
   * The first scrape that shows the workload class fully recorded (its pooled sites registered with
   * the runtime and its rejected one in the agent's report: the two are recorded one after the other
   * while the class loads) and already hitting. Earlier scrapes legitimately show less.
   */
  private static Http awaitWorkloadRecorded(String base, ForkedJvm.Running jvm) throws Exception {
    Http r = Http.await(base + "/metrics", "rebyte_pool_acquires_total{result=\"hit\"", jvm);
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      PrometheusText t = new PrometheusText(r.body);
      if (t.sum("rebyte_sites", "decision=\"rejected\"") >= 1
          && t.sum("rebyte_pool_acquires_total", "result=\"hit\"") > 0) {
        return r;
      }
      Thread.sleep(100);
      r = Http.get(base + "/metrics");
    }
    return r; // the assertions that follow say what is missing
  }
}
