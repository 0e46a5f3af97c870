package dev.rebyte.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebyte.it.apps.FailOpenApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fail open (DESIGN rule 6): a class whose frames cannot be recomputed (types missing from the
 * class path) and a malformed class file stay as they were; the app runs; each failure is logged
 * once and counted in the report and the summary.
 */
class FailOpenIT {
  @TempDir Path dir;

  @ParameterizedTest
  @MethodSource("dev.rebyte.it.Jdks#all")
  void brokenClasses_areLeftAlone_loggedOnce_andCounted(Path java) throws Exception {
    Path classes = copyAppClassesWithout(dir.resolve("classes"), "MissingA.class", "MissingB.class");
    ForkedJvm.Result plain = ForkedJvm.on(java).classPath(List.of(classes)).main(FailOpenApp.class).run();
    assertEquals(0, plain.exitCode, plain.describe());
    assertTrue(plain.stdout.contains("malformed class rejected by the JVM"), plain.describe());

    Path report = dir.resolve("r.json");
    ForkedJvm.Result agent = ForkedJvm.on(java).classPath(List.of(classes))
        .agent("include=dev.rebyte.it.apps;report=" + report)
        .main(FailOpenApp.class).run();
    assertEquals(0, agent.exitCode, agent.describe());
    assertEquals(plain.stdout, agent.stdout, agent.describe());

    List<String> app = agent.stderrLines("[rebyte] left dev.rebyte.it.apps.FailOpenApp unchanged: ");
    assertEquals(1, app.size(), "one line for the class with missing types" + agent.describe());
    List<String> malformed = agent.stderrLines("[rebyte] left dev.rebyte.it.apps.Malformed unchanged: ");
    assertEquals(1, malformed.size(), "one line for the malformed class" + agent.describe());
    // A summary printed while the app still loads classes may count fewer; the one at exit has all.
    List<String> summaries = agent.stderrLines("[rebyte] rewrote ");
    assertTrue(!summaries.isEmpty() && summaries.get(summaries.size() - 1).contains("failed classes 2"),
        agent.describe());
    assertEquals(2, SiteReportFile.read(report).count("failedClasses"));
  }

  /** The app classes without the named files: the "missing from the class path" part. */
  static Path copyAppClassesWithout(Path target, String... omitted) throws IOException {
    Path apps = ForkedJvm.TEST_CLASSES.resolve("dev/rebyte/it/apps");
    Path out = target.resolve("dev/rebyte/it/apps");
    Files.createDirectories(out);
    List<String> skip = List.of(omitted);
    try (Stream<Path> files = Files.list(apps)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (f.toString().endsWith(".class") && !skip.contains(f.getFileName().toString())) {
          Files.copy(f, out.resolve(f.getFileName()));
        }
      }
    }
    return target;
  }
}
