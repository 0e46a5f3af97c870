package dev.rebyte.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVMs every forked test runs on: the one running the build (JDK 17 in CI) and Temurin 25
 * ({@code REBYTE_JDK25} or {@code /usr/lib/jvm/temurin-25-jdk-amd64}). A missing JDK 25 is skipped
 * on a developer machine but fails the build when {@code CI} is set.
 */
public final class Jdks {
  static final String JDK25 = System.getenv().getOrDefault("REBYTE_JDK25", "/usr/lib/jvm/temurin-25-jdk-amd64");

  private Jdks() {}

  /** Java executables, for {@code @MethodSource("dev.rebyte.it.Jdks#all")}. */
  public static List<Path> all() {
    List<Path> out = new ArrayList<>();
    out.add(Paths.get(System.getProperty("java.home"), "bin", "java"));
    Path jdk25 = Paths.get(JDK25, "bin", "java");
    if (Files.isExecutable(jdk25)) {
      if (!jdk25.toAbsolutePath().normalize().equals(out.get(0).toAbsolutePath().normalize())) {
        out.add(jdk25);
      }
    } else if (System.getenv("CI") != null) {
      throw new IllegalStateException("CI is set but JDK 25 is missing at " + JDK25
          + " (set REBYTE_JDK25): the forked tests must run on it");
    } else {
      System.err.println("it-tests: JDK 25 not found at " + JDK25 + "; running on " + out.get(0) + " only");
    }
    return out;
  }
}
