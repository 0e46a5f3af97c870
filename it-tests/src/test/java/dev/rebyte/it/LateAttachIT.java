package dev.rebyte.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebyte.it.apps.LateAttachApp;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * agentmain: attached to a running JVM, the agent retransforms the selected classes already loaded,
 * and the program prints exactly what the same program prints when it never attaches.
 */
class LateAttachIT {
  @TempDir Path dir;

  @ParameterizedTest
  @MethodSource("dev.rebyte.it.Jdks#all")
  void lateAttach_retransformsLoadedClasses_andComputesTheSame(Path java) throws Exception {
    ForkedJvm.Result plain = ForkedJvm.on(java).main(LateAttachApp.class).run();
    assertEquals(0, plain.exitCode, plain.describe());
    List<String> lines = plain.stdout.lines().collect(Collectors.toList());
    assertEquals(2, lines.size(), plain.describe());
    assertTrue(lines.get(0).startsWith("before copied=200000 ") && lines.get(1).startsWith("after copied=1000000 "),
        "the app did its work" + plain.describe());

    Path report = dir.resolve("r.json");
    ForkedJvm.Result r = ForkedJvm.on(java)
        .jvm("-Djdk.attach.allowAttachSelf=true", "-XX:+IgnoreUnrecognizedVMOptions", "-XX:+EnableDynamicAgentLoading")
        .main(LateAttachApp.class, ForkedJvm.AGENT_JAR.toAbsolutePath().toString(),
            "include=dev.rebyte.it.apps.CopyApp,dev.rebyte.it.apps.LateAttachApp;report=" + report)
        .run();
    assertEquals(0, r.exitCode, r.describe());
    assertEquals(plain.stdout, r.stdout, "the late-attached run prints something else" + r.describe());
    assertEquals(1, r.stderrLines("[rebyte] installed (late attach, loaded classes retransformed").size(), r.describe());
    SiteReportFile sites = SiteReportFile.read(report);
    assertEquals("POOLED NON_ESCAPING", sites.decisionOf("dev.rebyte.it.apps.CopyApp", "copyStream"), r.describe());
    assertEquals("POOLED NON_ESCAPING", sites.decisionOf(LateAttachApp.class.getName(), "freshSum"), r.describe());
    assertTrue(r.poolStats().getOrDefault("Hits", 0L) > 0, r.describe());
  }
}
