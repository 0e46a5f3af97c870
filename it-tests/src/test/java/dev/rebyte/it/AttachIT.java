package dev.rebyte.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebyte.it.apps.AttachOwnersApp;
import dev.rebyte.it.apps.AttachTargetApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code attach} to a running service: pool hits appear, the output stays the same; {@code mode=off}
 * restores the classes (hits stop growing); attaching again rewrites again.
 */
class AttachIT {
  private static final Pattern HITS = Pattern.compile("\\[app-pool\\] Hits=(\\d+) .*");
  private static final Pattern ROUND = Pattern.compile("round (\\d+) checksum (-?\\d+)");
  private static final List<String> DYNAMIC_AGENTS_OK = List.of("-XX:+IgnoreUnrecognizedVMOptions",
      "-XX:+EnableDynamicAgentLoading");

  @TempDir Path dir;

  @ParameterizedTest
  @MethodSource("dev.rebyte.it.Jdks#all")
  void attach_rewritesRunningJvm_thenModeOffRestoresIt(Path java) throws Exception {
    Path stop = dir.resolve("stop");
    Path report = dir.resolve("r.json");
    long start = System.nanoTime();
    try (RunningJvm app = RunningJvm.start(java, DYNAMIC_AGENTS_OK, AttachTargetApp.class, stop.toString())) {
      app.awaitStdout(l -> l.startsWith("round 3 "), 30);
      assertTrue(app.stderr().contains("[app-pool] none"), app.describe());
      String pid = String.valueOf(app.pid());

      ForkedJvm.Result attach = AgentCli.run(java, "attach", pid, "include=dev.rebyte.it.apps.AttachTargetApp;report=" + report);
      assertEquals(0, attach.exitCode, attach.describe() + app.describe());
      assertTrue(attach.stdout.startsWith("rebyte: loaded rebyte-agent-"), attach.describe());
      app.awaitStderr(l -> hits(l) > 0, 30);

      ForkedJvm.Result off = AgentCli.run(java, "attach", pid, "mode=off");
      assertEquals(0, off.exitCode, off.describe() + app.describe());
      app.awaitStderr(l -> l.startsWith("[rebyte] mode=off: reset done, transformer removed, 1 loaded classes retransformed"), 30);
      // The reset stops the report writer after a last write.
      assertEquals("POOLED NON_ESCAPING", SiteReportFile.read(report).decisionOf(AttachTargetApp.class.getName(), "checksum"));
      app.awaitMoreStdout(2, 30); // a round may still have been running the rewritten code
      long frozen = lastHits(app);
      app.awaitMoreStdout(4, 30);
      assertEquals(frozen, lastHits(app), "hits must stop growing once the classes are restored" + app.describe());

      ForkedJvm.Result again = AgentCli.run(java, "attach", pid, "include=dev.rebyte.it.apps.AttachTargetApp");
      assertEquals(0, again.exitCode, again.describe() + app.describe());
      app.awaitStderr(l -> hits(l) > frozen, 30);

      Files.createFile(stop);
      assertEquals(0, app.awaitExit(30), app.describe());
      int rounds = 0;
      for (String line : app.stdout()) {
        Matcher m = ROUND.matcher(line);
        if (m.matches()) {
          rounds++;
          assertEquals(AttachTargetApp.work(Integer.parseInt(m.group(1))), Long.parseLong(m.group(2)),
              "output changed: " + line + app.describe());
        }
      }
      assertTrue(rounds > 10, app.describe());
      assertEquals(2, app.stderr().stream().filter(l -> l.startsWith("[rebyte] installed (late attach")).count(), app.describe());
      System.out.println("attach on " + java + ": " + rounds + " rounds, " + (System.nanoTime() - start) / 1_000_000 + " ms");
    }
  }

  /**
   * Owners after a late attach: retransformation cannot change a class's schema, so the final
   * frame of a Java 11 class file is not pooled (FIELD_FINAL) while the lazily allocated scratch
   * buffer is; the output stays the same, and mode=off restores the class (its schema unchanged).
   */
  @ParameterizedTest
  @MethodSource("dev.rebyte.it.Jdks#all")
  void attach_withOwners_poolsWhatRetransformationAllows(Path java) throws Exception {
    Path stop = dir.resolve("stop");
    Path report = dir.resolve("r.json");
    String framer = AttachOwnersApp.class.getName() + "$Framer";
    try (RunningJvm app = RunningJvm.start(java, DYNAMIC_AGENTS_OK, AttachOwnersApp.class, stop.toString())) {
      app.awaitStdout(l -> l.startsWith("round 3 "), 30);
      String pid = String.valueOf(app.pid());
      ForkedJvm.Result attach = AgentCli.run(java, "attach", pid,
          "include=dev.rebyte.it.apps.AttachOwnersApp*;owners=true;report=" + report);
      assertEquals(0, attach.exitCode, attach.describe() + app.describe());
      app.awaitStderr(l -> hits(l) > 0, 30);

      ForkedJvm.Result off = AgentCli.run(java, "attach", pid, "mode=off");
      assertEquals(0, off.exitCode, off.describe() + app.describe());
      app.awaitStderr(l -> l.startsWith("[rebyte] mode=off: reset done"), 30);
      SiteReportFile r = SiteReportFile.read(report); // written a last time by the reset
      assertEquals("REJECTED FIELD_FINAL", r.decisionOf(framer, "<init>"), r.json);
      assertEquals("POOLED OWNED_BY_INSTANCE", r.decisionOf(framer, "fill"), r.json);
      Files.createFile(stop);
      assertEquals(0, app.awaitExit(30), app.describe());
      int rounds = 0;
      for (String line : app.stdout()) {
        Matcher m = ROUND.matcher(line);
        if (m.matches()) {
          rounds++;
          assertEquals(AttachOwnersApp.work(Integer.parseInt(m.group(1))), Long.parseLong(m.group(2)),
              "output changed: " + line + app.describe());
        }
      }
      assertTrue(rounds > 5, app.describe());
      assertTrue(app.stderr().stream().noneMatch(l -> l.contains("Exception") || l.matches(".*failed classes [1-9].*")
          || l.contains("ReleasesRejected=") && !l.contains("ReleasesRejected=0 ")), app.describe());
      assertTrue(app.stderr().stream().anyMatch(l -> l.startsWith("[rebyte] mode=off: reset done, transformer removed, 2 loaded")),
          "both classes restored: the scratch field kept its schema" + app.describe());
    }
  }

  @Test
  void attach_errors() throws Exception {
    Path java = Jdks.all().get(0);
    ForkedJvm.Result notPid = AgentCli.run(java, "attach", "12ab");
    assertEquals(2, notPid.exitCode, notPid.describe());
    assertTrue(notPid.stderr.startsWith("rebyte: attach: '12ab' is not a process id\nusage: "), notPid.describe());

    Process gone = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
    gone.getInputStream().readAllBytes();
    gone.waitFor();
    ForkedJvm.Result noProcess = AgentCli.run(java, "attach", String.valueOf(gone.pid()));
    assertEquals(3, noProcess.exitCode, noProcess.describe());
    assertTrue(noProcess.stderr.startsWith("rebyte: attach: no process with pid " + gone.pid()), noProcess.describe());

    try (RunningJvm closed = RunningJvm.start(java, List.of("-XX:+DisableAttachMechanism"), AttachTargetApp.class,
        dir.resolve("stop").toString())) {
      closed.awaitStdout(l -> l.startsWith("round 1 "), 30);
      ForkedJvm.Result refused = AgentCli.run(java, "attach", String.valueOf(closed.pid()), "include=x");
      assertEquals(3, refused.exitCode, refused.describe() + closed.describe());
      assertTrue(refused.stderr.startsWith("rebyte: attach: ") && refused.stderr.contains("-XX:+DisableAttachMechanism"), refused.describe());
      assertTrue(closed.stderr().stream().noneMatch(l -> l.startsWith("[rebyte]")), closed.describe());
    }

    ForkedJvm.Result help = AgentCli.run(java, "attach", "--help");
    assertEquals(0, help.exitCode, help.describe());
    assertTrue(help.stdout.contains("-XX:+EnableDynamicAgentLoading") && help.stdout.contains("JEP 451"), help.describe());
  }

  private static long hits(String line) {
    Matcher m = HITS.matcher(line);
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  private static long lastHits(RunningJvm app) {
    long last = -1;
    for (String line : app.stderr()) {
      long h = hits(line);
      if (h >= 0) {
        last = h;
      }
    }
    return last;
  }
}
