package dev.rebyte.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebyte.it.apps.OwnersApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Owner-scoped buffers with the real agent jar: a private frame released by close() is pooled with
 * {@code owners=true}; the output is unchanged; closing twice or from two threads at once releases
 * once (no rejected release); use after close fails loudly; owners never closed count as leaks of
 * the field's site, named in the leak line. With owners off the field is reported as a candidate.
 */
class OwnersIT {
  private static final String FRAMER = OwnersApp.class.getName() + "$Framer";

  @TempDir Path dir;

  @ParameterizedTest
  @MethodSource("dev.rebyte.it.Jdks#all")
  void ownersOn_poolsTheFrame_releasesOnce_andCountsUnclosedOwnersAsLeaks(Path java) throws Exception {
    ForkedJvm.Result plain = ForkedJvm.on(java).main(OwnersApp.class).run();
    assertEquals(0, plain.exitCode, plain.describe());
    assertEquals(List.of("[app] use after close: ok 0"), plain.stderrLines("[app] use after close"), plain.describe());

    Path report = dir.resolve("r.json");
    ForkedJvm.Result agent = ForkedJvm.on(java)
        .agent("include=dev.rebyte.it.apps;owners=true;leak-detection=paranoid;report=" + report)
        .main(OwnersApp.class).run();
    assertEquals(0, agent.exitCode, agent.describe());
    assertEquals(plain.stdout, agent.stdout, "program output differs with the agent" + agent.describe());
    assertEquals(List.of("[app] use after close: java.lang.NullPointerException"),
        agent.stderrLines("[app] use after close"), agent.describe());

    SiteReportFile r = SiteReportFile.read(report);
    Map<String, String> site = r.sitesOf(FRAMER, "<init>").get(0);
    assertEquals("POOLED OWNED_BY_INSTANCE", site.get("decision") + " " + site.get("reason"), r.json);
    assertEquals("OWNED", site.get("mode"), r.json);
    assertEquals("frame", site.get("field"), r.json);

    Map<String, Long> pool = agent.poolStats();
    long acquires = pool.get("Hits") + pool.get("Misses") + pool.get("Bypasses");
    assertTrue(pool.get("Hits") > 1000, "owned frames reused" + agent.describe());
    assertEquals(0L, pool.get("ReleasesRejected"), "a release was rejected: double release" + agent.describe());
    assertTrue(pool.get("Leaks") >= 1, "never-closed owners are leaks" + agent.describe());
    // every frame acquired was released exactly once, except the never-closed ones (64) -- less the
    // releases the bound turned away; no frame is released twice (else pooled + dropped > acquires)
    long released = pool.get("ReleasesPooled") + pool.get("ReleasesDropped");
    assertEquals(acquires - 64, released, agent.describe());
    assertTrue(agent.stderr.contains("leak: site leak at " + FRAMER + ".<init>")
        && agent.stderr.contains("(its owner was collected without being closed)"),
        "the leak line names the owner's site" + agent.describe());
  }

  @ParameterizedTest
  @MethodSource("dev.rebyte.it.Jdks#all")
  void ownersOff_reportsTheCandidate_andChangesNothing(Path java) throws Exception {
    Path report = dir.resolve("r.json");
    ForkedJvm.Result agent = ForkedJvm.on(java)
        .agent("include=dev.rebyte.it.apps;report=" + report)
        .main(OwnersApp.class, "20").run();
    assertEquals(0, agent.exitCode, agent.describe());
    assertEquals(List.of("[app] use after close: ok 0"), agent.stderrLines("[app] use after close"), agent.describe());
    SiteReportFile r = SiteReportFile.read(report);
    assertEquals("REJECTED OWNERS_DISABLED", r.decisionOf(FRAMER, "<init>"), r.json);
    assertTrue(r.json.contains("\"field\": \"frame\"") && r.json.contains("\"bytesPerInstance\": 16384"), r.json);
    assertTrue(agent.stderr.contains("[rebyte] owner-scoped fields: 0 pooled, 1 found but not enabled (16384 bytes per instance"),
        agent.describe());
    assertTrue(Files.readString(dir.resolve("r.txt")).contains("OWNERS_DISABLED"), "text report");
  }
}
