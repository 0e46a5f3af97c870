package dev.rebyte.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebyte.it.apps.LateAttachApp;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** agentmain: attached to a running JVM, the agent retransforms the selected classes already loaded. */
class LateAttachIT {
  @TempDir Path dir;

  @ParameterizedTest
  @MethodSource("dev.rebyte.it.Jdks#all")
  void lateAttach_retransformsLoadedClasses(Path java) throws Exception {
    Path report = dir.resolve("r.json");
    ForkedJvm.Result r = ForkedJvm.on(java)
        .jvm("-Djdk.attach.allowAttachSelf=true", "-XX:+IgnoreUnrecognizedVMOptions", "-XX:+EnableDynamicAgentLoading")
        .main(LateAttachApp.class, ForkedJvm.AGENT_JAR.toAbsolutePath().toString(),
            "include=dev.rebyte.it.apps.CopyApp;report=" + report)
        .run();
    assertEquals(0, r.exitCode, r.describe());
    assertEquals("before 200000\nafter 1000000\n", r.stdout.replace("\r", ""), r.describe());
    assertEquals(1, r.stderrLines("[rebyte] installed (late attach, loaded classes retransformed").size(), r.describe());
    assertEquals("POOLED NON_ESCAPING",
        SiteReportFile.read(report).decisionOf("dev.rebyte.it.apps.CopyApp", "copyStream"), r.describe());
    assertTrue(r.poolStats().getOrDefault("Hits", 0L) > 0, r.describe());
  }
}
