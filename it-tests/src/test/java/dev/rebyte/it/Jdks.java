package dev.rebyte.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The JVMs every forked test runs on: the one running the build (JDK 17 in CI) and Temurin 25
 * ({@code REBYTE_JDK25} or {@code /usr/lib/jvm/temurin-25-jdk-amd64}).
 *
 * <p>The JDK 25 case is in the list, installed or not (unless the build runs on it), so the test
 * runner counts it. When JDK 25 is missing, the case stops where it would first start that JVM
 * ({@link #assumeInstalled}, called by {@link ForkedJvm#on}, {@code AgentCli.run} and
 * {@code RunningJvm.start}, every way a test launches {@code java}): on a developer machine it is
 * reported as skipped with the reason; when {@code CI} is set it fails.
 */
public final class Jdks {
  static final String JDK25 = System.getenv().getOrDefault("REBYTE_JDK25", "/usr/lib/jvm/temurin-25-jdk-amd64");

  private static volatile boolean toldOnce;

  private Jdks() {}

  /** Java executables, for {@code @MethodSource("dev.rebyte.it.Jdks#all")}; the first is the build's. */
  public static List<Path> all() {
    List<Path> out = new ArrayList<>();
    out.add(Paths.get(System.getProperty("java.home"), "bin", "java"));
    Path jdk25 = Paths.get(JDK25, "bin", "java");
    if (!jdk25.toAbsolutePath().normalize().equals(out.get(0).toAbsolutePath().normalize())) {
      out.add(jdk25);
    }
    return out;
  }

  /**
   * Stops the running test unless {@code java} is there: skipped (JUnit's assumption, reported
   * with the reason) on a developer machine, failed when {@code CI} is set.
   */
  public static void assumeInstalled(Path java) {
    if (Files.isExecutable(java)) {
      return;
    }
    String reason = java.equals(Paths.get(JDK25, "bin", "java"))
        ? "JDK 25 not found at " + JDK25 + " (set REBYTE_JDK25)" : "no java at " + java;
    if (System.getenv("CI") != null) {
      Assertions.fail("CI is set but " + reason + ": the forked tests must run on it");
    }
    if (!toldOnce) {
      toldOnce = true; // the console's summary counts the skips; this line says why, once per run
      System.err.println("it-tests: " + reason + ": its cases are reported as skipped");
    }
    Assumptions.assumeTrue(false, reason);
  }
}
