package dev.rebyte.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebyte.it.apps.LibrariesApp;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An application with its own ByteBuddy (1.14) and Micrometer (1.12) works under the agent, whose
 * ByteBuddy (1.18) is relocated: no clash, the app's generated class is left alone, its sites pooled.
 */
class LibrariesIT {
  @TempDir Path dir;

  @ParameterizedTest
  @MethodSource("dev.rebyte.it.Jdks#all")
  void appWithItsOwnByteBuddyAndMicrometer_works(Path java) throws Exception {
    ForkedJvm.Result plain = ForkedJvm.on(java).withAppLibraries().main(LibrariesApp.class).run();
    assertEquals(0, plain.exitCode, plain.describe());
    assertTrue(plain.stdout.contains("hello from the app's ByteBuddy, byte-buddy-1.14."), plain.describe());
    assertTrue(plain.stdout.contains("micrometer counter 50.0"), plain.describe());

    Path report = dir.resolve("r.json");
    ForkedJvm.Result agent = ForkedJvm.on(java).withAppLibraries()
        .agent("include=dev.rebyte.it.apps,net.bytebuddy,io.micrometer;report=" + report)
        .main(LibrariesApp.class).run();
    assertEquals(0, agent.exitCode, agent.describe());
    assertEquals(plain.stdout, agent.stdout, agent.describe());
    assertTrue(agent.stderrLines("[rebyte] left ").isEmpty(), "no failures" + agent.describe());
    SiteReportFile r = SiteReportFile.read(report);
    assertEquals("POOLED NON_ESCAPING", r.decisionOf("dev.rebyte.it.apps.CopyApp", "copyStream"), r.json);
    assertTrue(r.sites.stream().noneMatch(s -> s.get("class").contains("$ByteBuddy$")
        || s.get("class").startsWith("net.bytebuddy.")), "generated and ByteBuddy classes are never touched");
    assertTrue(agent.poolStats().getOrDefault("Hits", 0L) > 0, agent.describe());
  }
}
