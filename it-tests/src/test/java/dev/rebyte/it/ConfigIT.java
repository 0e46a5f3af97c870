package dev.rebyte.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebyte.it.apps.CopyApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad configuration: one clear line, app runs unchanged; strict stops startup; sources merge. */
class ConfigIT {
  @TempDir Path dir;

  @ParameterizedTest
  @MethodSource("dev.rebyte.it.Jdks#all")
  void unknownKey_oneClearLine_rewritingDisabled_appRuns(Path java) throws Exception {
    Path report = dir.resolve("r.json");
    ForkedJvm.Result r = ForkedJvm.on(java)
        .agent("include=dev.rebyte.it.apps;report=" + report + ";colour=blue")
        .main(CopyApp.class, "5").run();
    assertEquals(0, r.exitCode, r.describe());
    assertTrue(r.stdout.contains("copied 1500000"), r.describe());
    assertEquals(List.of("[rebyte] config error: unknown key colour=blue (agent argument); known keys: "
            + "rebyte.include, rebyte.exclude, rebyte.min-size, rebyte.max-size, rebyte.pool.max-bytes, "
            + "rebyte.pool.idle-timeout, rebyte.trust, rebyte.distrust, rebyte.mode, rebyte.rounded, rebyte.owners, "
            + "rebyte.owner.release, rebyte.report, "
            + "rebyte.http, rebyte.leak-detection, rebyte.strict, rebyte.config"),
        r.stderrLines("[rebyte] config error"), r.describe());
    assertEquals(1, r.stderrLines("[rebyte] rewriting disabled because of 1 configuration error(s)").size(), r.describe());
    assertTrue(r.stderrLines("[rebyte] rewrote").isEmpty(), r.describe());
    assertFalse(Files.exists(report), "nothing installed, no report");
  }

  @ParameterizedTest
  @MethodSource("dev.rebyte.it.Jdks#all")
  void strict_stopsStartupWithTheMessage(Path java) throws Exception {
    ForkedJvm.Result r = ForkedJvm.on(java)
        .agent("include=dev.rebyte.it.apps;min-size=12q;strict=true")
        .main(CopyApp.class, "5").run();
    assertEquals(1, r.exitCode, "a clean exit with status 1, not a JVM abort" + r.describe());
    assertFalse(r.stdout.contains("copied"), "the application must not start" + r.describe());
    assertTrue(r.stderr.contains("[rebyte] config error: rebyte.min-size=12q (agent argument): not understood"), r.describe());
    assertTrue(r.stderr.contains("invalid configuration (rebyte.strict=true), not starting"), r.describe());
  }

  @ParameterizedTest
  @MethodSource("dev.rebyte.it.Jdks#all")
  void fileSystemPropertyAndEnvironment_mergeByPrecedence(Path java) throws Exception {
    Path report = dir.resolve("r.json");
    Path file = dir.resolve("rebyte.properties");
    Files.writeString(file, "# the file has the lowest precedence\ninclude=dev.rebyte.it.apps\nmode=rewrite\n"
        + "report=" + report + "\nhttp=9404\n");
    ForkedJvm.Result r = ForkedJvm.on(java)
        .agent("config=" + file)
        .jvm("-Drebyte.mode=observe")
        .env("REBYTE_MODE", "off")
        .env("REBYTE_LEAK_DETECTION", "paranoid")
        .main(CopyApp.class, "5").run();
    assertEquals(0, r.exitCode, r.describe());
    List<String> config = r.stderrLines("[rebyte] config: mode=observe include=dev.rebyte.it.apps");
    assertEquals(1, config.size(), r.describe());
    assertTrue(config.get(0).contains("leak-detection=paranoid"), r.describe());
    assertTrue(config.get(0).contains("rebyte.mode: system property rebyte.mode"), r.describe());
    assertTrue(config.get(0).contains(" http=127.0.0.1:9404 "), r.describe());
    assertEquals("OBSERVED NON_ESCAPING", SiteReportFile.read(report).decisionOf(CopyApp.class.getName(), "copyStream"));
  }
}
