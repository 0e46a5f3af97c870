package dev.rebyte.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebyte.it.apps.MetricsWorkloadApp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Grafana example ({@code examples/grafana}) queries only series that exist: every metric name
 * in its PromQL is in {@code /metrics} of a forked JVM running the agent, and every panel uses the
 * provisioned datasource's fixed uid.
 */
class GrafanaDashboardIT {
  static final Path GRAFANA = Paths.get(System.getProperty("it.examples", "../examples"), "grafana");
  private static final Pattern QUERY = Pattern.compile("\"(?:expr|definition)\": \"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern SERIES = Pattern.compile("\\b(?:rebyte|jvm|process)_[a-z0-9_]+\\b");

  @ParameterizedTest
  @MethodSource("dev.rebyte.it.Jdks#all")
  void everySeriesTheDashboardQueries_existsInMetrics(Path java) throws Exception {
    String dashboard = Files.readString(GRAFANA.resolve("rebyte-dashboard.json"), StandardCharsets.UTF_8);
    Set<String> queried = new TreeSet<>();
    Matcher q = QUERY.matcher(dashboard);
    while (q.find()) {
      Matcher s = SERIES.matcher(q.group(1));
      while (s.find()) {
        queried.add(s.group());
      }
    }
    assertTrue(queried.size() >= 10, queried.toString());
    assertTrue(queried.contains("rebyte_pool_acquires_total") && queried.contains("jvm_gc_pause_seconds_sum"), queried.toString());

    int port = Http.freePort();
    try (ForkedJvm.Running jvm = ForkedJvm.on(java)
        .agent("include=dev.rebyte.it.apps;http=" + port)
        .main(MetricsWorkloadApp.class, "60").start()) {
      // jvm_gc_pause_* appears with the first GC after the endpoint started
      PrometheusText metrics = new PrometheusText(
          Http.await("http://127.0.0.1:" + port + "/metrics", "jvm_gc_pause_seconds_count", jvm).body);
      List<String> missing = new ArrayList<>();
      for (String series : queried) {
        if (!metrics.has(series)) {
          missing.add(series);
        }
      }
      assertEquals(List.of(), missing, "series the dashboard queries but /metrics lacks:\n" + metrics.text);
    }
  }

  @Test
  void panelsUseTheProvisionedDatasourceUid() throws Exception {
    String datasource = Files.readString(GRAFANA.resolve("provisioning/datasources/datasource.yml"), StandardCharsets.UTF_8);
    assertTrue(datasource.contains("uid: rebyte-prometheus"), datasource);
    assertTrue(Files.readString(GRAFANA.resolve("provisioning/dashboards/dashboard.yml"), StandardCharsets.UTF_8)
        .contains("type: file"));
    String dashboard = Files.readString(GRAFANA.resolve("rebyte-dashboard.json"), StandardCharsets.UTF_8);
    Matcher uid = Pattern.compile("\"type\": \"prometheus\",\\s*\"uid\": \"([^\"]+)\"").matcher(dashboard);
    int n = 0;
    while (uid.find()) {
      assertEquals("rebyte-prometheus", uid.group(1));
      n++;
    }
    assertTrue(n > 10, "datasource references: " + n);
    assertTrue(!dashboard.contains("${DS_"), "file provisioning cannot resolve ${DS_...} inputs");
  }
}
