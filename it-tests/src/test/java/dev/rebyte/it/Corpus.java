package dev.rebyte.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Where the issue-6 tests find their subjects (copied by the dependency plugin in it-tests/pom.xml)
 * and where they write their reports ({@code target/failsafe-reports/*.md}).
 */
final class Corpus {
  static final Path JARS = Paths.get(System.getProperty("it.corpus.dir", "target/corpus"));
  static final Path DEPS = Paths.get(System.getProperty("it.corpus.deps.dir", "target/corpus-deps"));
  static final Path PEER = Paths.get(System.getProperty("it.peer.dir", "target/peer"));
  static final Path REPORTS = Paths.get(System.getProperty("it.reports.dir", "target/failsafe-reports"));

  private Corpus() {}

  /** The jars of a directory, sorted by name. */
  static List<Path> jars(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".jar")).sorted().collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException("run through Maven (mvn verify): the dependency plugin fills " + dir, e);
    }
  }

  /** The jar whose file name starts with {@code prefix}. */
  static Path jar(Path dir, String prefix) {
    return jars(dir).stream().filter(p -> p.getFileName().toString().startsWith(prefix)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + prefix + "*.jar in " + dir));
  }

  private static boolean runtimeExtracted;

  /**
   * The runtime jar nested in the shaded agent jar (what the agent really ships), extracted once per
   * test JVM: a copy left in target/ by an earlier build may belong to an older agent.
   */
  static synchronized Path runtimeJar() throws IOException {
    Path out = JARS.resolveSibling("corpus-runtime").resolve("rebyte-runtime.jar");
    if (!runtimeExtracted) {
      runtimeExtracted = true;
      Files.createDirectories(out.getParent());
      try (JarFile agent = new JarFile(ForkedJvm.AGENT_JAR.toFile());
          InputStream in = agent.getInputStream(agent.getEntry("dev/rebyte/agent/boot/rebyte-runtime.jar"))) {
        Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return out;
  }

  /** The jar or directory a class of this JVM's test class path came from. */
  static Path locationOf(Class<?> type) {
    try {
      return Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Feature release of a {@code java} executable's JVM, from its {@code release} file. */
  static String jdkName(Path java) {
    Path release = java.getParent().getParent().resolve("release");
    try {
      for (String line : Files.readAllLines(release, StandardCharsets.UTF_8)) {
        if (line.startsWith("JAVA_VERSION=")) {
          String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
          return "jdk" + (v.startsWith("1.") ? v.substring(2, 3) : v.split("\\.")[0]);
        }
      }
    } catch (IOException e) {
      // fall through
    }
    return "jdk-" + Integer.toHexString(java.toString().hashCode());
  }

  /** Writes (replaces) one report file under target/failsafe-reports. */
  static Path writeReport(String fileName, String markdown) throws IOException {
    Files.createDirectories(REPORTS);
    Path file = REPORTS.resolve(fileName);
    Files.writeString(file, markdown, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING);
    return file;
  }
}
