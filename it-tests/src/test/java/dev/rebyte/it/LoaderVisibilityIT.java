package dev.rebyte.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebyte.it.apps.LoaderApp;
import dev.rebyte.it.apps.LoaderWork;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fail open for class loaders (DESIGN rule 6): a selected class defined by a loader that does not
 * resolve {@code dev.rebyte.runtime.Rebyte} to the boot class path's copy runs unchanged; the
 * loader is logged in one line and counted; the same class in the application's loader is still
 * rewritten.
 */
class LoaderVisibilityIT {
  @TempDir Path dir;

  @ParameterizedTest
  @MethodSource("dev.rebyte.it.Jdks#all")
  void loaderThatRefusesTheRuntime_isSkippedOnce_andCounted(Path java) throws Exception {
    ForkedJvm.Result plain = ForkedJvm.on(java).main(LoaderApp.class).run();
    assertEquals(0, plain.exitCode, plain.describe());
    assertTrue(plain.stdout.contains("loaders differ: true"), plain.describe());

    Path report = dir.resolve("r.json");
    ForkedJvm.Result agent = ForkedJvm.on(java)
        .agent("include=" + LoaderWork.class.getName() + ";report=" + report)
        .main(LoaderApp.class).run();
    assertEquals(0, agent.exitCode, agent.describe());
    assertEquals(plain.stdout, agent.stdout, agent.describe());

    List<String> skipped = agent.stderrLines("[rebyte] not rewriting classes of class loader ");
    assertEquals(1, skipped.size(), agent.describe());
    assertTrue(skipped.get(0).contains(LoaderApp.class.getName() + "$Refusing \"refusing\""), agent.describe());
    assertTrue(skipped.get(0).contains("cannot load dev.rebyte.runtime.Rebyte"), agent.describe());
    List<String> summaries = agent.stderrLines("[rebyte] rewrote ");
    assertTrue(!summaries.isEmpty() && summaries.get(summaries.size() - 1)
        .contains("failed classes 0, class loaders skipped 1 (1 classes unchanged)"), agent.describe());

    SiteReportFile r = SiteReportFile.read(report);
    assertEquals(1, r.count("loadersSkipped"), r.json);
    assertEquals(1, r.count("classesInSkippedLoaders"), r.json);
    // The application loader's copy is rewritten; the refusing loader's never reaches the analysis.
    assertEquals("POOLED NON_ESCAPING", r.decisionOf(LoaderWork.class.getName(), "run"));
  }
}
