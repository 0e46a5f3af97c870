package dev.rebyte.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebyte.it.apps.BodiesApp;
import dev.rebyte.it.apps.CopyApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The agent rewrites a real application: decisions, pool hits, unchanged output, summary line. */
class RewriteIT {
  private static final String APP = CopyApp.class.getName();
  private static final Pattern SUMMARY = Pattern.compile(
      "\\[rebyte\\] rewrote (\\d+) sites in (\\d+) classes, rejected (\\d+), skipped (\\d+), failed classes 0: see .*r\\.json");

  @TempDir Path dir;

  @ParameterizedTest
  @MethodSource("dev.rebyte.it.Jdks#all")
  void rewrite_poolsProvenSites_andKeepsOutput(Path java) throws Exception {
    ForkedJvm.Result plain = ForkedJvm.on(java).main(CopyApp.class).run();
    assertEquals(0, plain.exitCode, plain.describe());
    assertEquals(List.of("[app-pool] none"), plain.stderrLines("[app-pool]"), plain.describe());

    Path report = dir.resolve("r.json");
    ForkedJvm.Result agent = ForkedJvm.on(java)
        .agent("include=dev.rebyte.it.apps;report=" + report)
        .main(CopyApp.class).run();
    assertEquals(0, agent.exitCode, agent.describe());
    assertEquals(plain.stdout, agent.stdout, "program output differs with the agent" + agent.describe());

    List<String> summaries = agent.stderrLines("[rebyte] rewrote ");
    assertTrue(!summaries.isEmpty() && summaries.stream().allMatch(l -> SUMMARY.matcher(l).matches()),
        "summary line" + agent.describe());
    assertEquals(1, agent.stderrLines("[rebyte] config: mode=rewrite include=dev.rebyte.it.apps").size(), agent.describe());

    SiteReportFile r = SiteReportFile.read(report);
    assertEquals("POOLED NON_ESCAPING", r.decisionOf(APP, "copyStream"), r.json);
    assertEquals("REJECTED NO_RELEASE_POINT", r.decisionOf(APP, "keepInField"), r.json); // a field, examined as owner-scoped
    assertEquals("REJECTED PASSED_TO_UNKNOWN_METHOD", r.decisionOf(APP, "passToSink"), r.json);
    assertEquals("SKIPPED BELOW_MIN_SIZE", r.decisionOf(APP, "small"), r.json);
    for (String method : new String[] {"checksum", "digest", "gzipRoundTrip"}) {
      assertEquals("POOLED NON_ESCAPING", r.decisionOf(APP, method), r.json);
    }
    assertEquals(4, r.count("pooled"), r.json);
    assertEquals(0, r.count("failedClasses"));
    assertTrue(Files.readString(dir.resolve("r.txt")).contains("copyStream"), "text report");

    Map<String, Long> pool = agent.poolStats();
    assertTrue(pool.getOrDefault("Hits", 0L) > 0, "pool hits expected" + agent.describe());
    assertTrue(pool.getOrDefault("ReleasesPooled", 0L) > 0, "releases expected" + agent.describe());
    assertEquals(0L, pool.getOrDefault("ReleasesRejected", -1L), agent.describe());
  }

  @ParameterizedTest
  @MethodSource("dev.rebyte.it.Jdks#all")
  void observe_countsWithoutRewriting(Path java) throws Exception {
    ForkedJvm.Result plain = ForkedJvm.on(java).main(CopyApp.class, "20").run();
    Path report = dir.resolve("r.json");
    ForkedJvm.Result agent = ForkedJvm.on(java)
        .agent("include=dev.rebyte.it.apps;mode=observe;report=" + report)
        .main(CopyApp.class, "20").run();
    assertEquals(0, agent.exitCode, agent.describe());
    assertEquals(plain.stdout, agent.stdout, agent.describe());
    assertTrue(agent.stderrLines("[rebyte] observed ").stream()
        .anyMatch(l -> l.contains("(observe mode: nothing rewritten)")), agent.describe());

    SiteReportFile r = SiteReportFile.read(report);
    assertEquals("OBSERVED NON_ESCAPING", r.decisionOf(APP, "copyStream"), r.json);
    assertEquals(0, r.count("pooled"), r.json);
    assertEquals("REJECTED NO_RELEASE_POINT", r.decisionOf(APP, "keepInField"), r.json); // a field, examined as owner-scoped

    Map<String, Long> pool = agent.poolStats();
    assertEquals(0L, pool.getOrDefault("Hits", -1L), "observe must not pool" + agent.describe());
    assertEquals(0L, pool.getOrDefault("ReleasesPooled", -1L), agent.describe());
  }

  @ParameterizedTest
  @MethodSource("dev.rebyte.it.Jdks#all")
  void rounded_variableLengthBodiesShareTheirSizeClass(Path java) throws Exception {
    String bodies = BodiesApp.class.getName();
    ForkedJvm.Result plain = ForkedJvm.on(java).main(BodiesApp.class).run();
    assertEquals(0, plain.exitCode, plain.describe());

    Path report = dir.resolve("r.json");
    ForkedJvm.Result rounded = ForkedJvm.on(java)
        .agent("include=dev.rebyte.it.apps;report=" + report)
        .main(BodiesApp.class).run();
    assertEquals(0, rounded.exitCode, rounded.describe());
    assertEquals(plain.stdout, rounded.stdout, "program output differs in rounded mode" + rounded.describe());
    Map<String, String> site = SiteReportFile.read(report).sitesOf(bodies, "handle").get(0);
    assertEquals("POOLED", site.get("decision"), site.toString());
    assertEquals("ROUNDED", site.get("mode"), site.toString());
    assertEquals("BOUNDED", site.get("rounding"), site.toString());
    Map<String, Long> pool = rounded.poolStats();
    long acquires = pool.get("Hits") + pool.get("Misses") + pool.get("Bypasses");
    assertEquals(400, acquires, rounded.describe());
    assertTrue(pool.get("Hits") >= 0.8 * acquires, "rounded hit rate" + rounded.describe());

    ForkedJvm.Result exact = ForkedJvm.on(java)
        .agent("include=dev.rebyte.it.apps;rounded=false;report=" + report)
        .main(BodiesApp.class).run();
    assertEquals(plain.stdout, exact.stdout, "program output differs in exact mode" + exact.describe());
    site = SiteReportFile.read(report).sitesOf(bodies, "handle").get(0);
    assertEquals("EXACT", site.get("mode"), site.toString());
    assertEquals("DISABLED", site.get("rounding"), site.toString());
    assertTrue(exact.poolStats().get("Hits") < 0.1 * acquires,
        "exact mode hits only on equal lengths" + exact.describe());
  }
}
