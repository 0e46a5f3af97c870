package dev.rebyte.it;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Declares one forked JVM (main class, JVM options, agent argument, class path) and runs it,
 * capturing exit code, standard output and standard error (async-profiler's test harness style).
 * Every run verifies all classes, including the boot-path runtime, so a rewrite the verifier would
 * reject fails the test.
 *
 * <p>Nothing is left outside the build directory: each run gets its own directory under
 * {@code target/forked/} ({@link #runDirectory()}) holding its standard output and error, its
 * working directory (unless the test gives one) and its {@code java.io.tmpdir}, so temporary files
 * of the forked program (the agent's extracted runtime jar, the numbered files commons-compress's
 * own tests write) land there rather than in the system's temporary directory.
 */
public final class ForkedJvm {
  static final Path AGENT_JAR = Paths.get(System.getProperty("it.agent.jar", "../agent/target/rebyte-agent.jar"));
  static final Path TEST_CLASSES = Paths.get(System.getProperty("it.test.classes", "target/test-classes"));
  static final Path APP_LIBS = Paths.get(System.getProperty("it.app.libs", "target/app-libs"));
  /** Beside the test classes: {@code it-tests/target/forked}. */
  static final Path RUNS = TEST_CLASSES.toAbsolutePath().getParent().resolve("forked");

  private final Path java;
  private final List<String> jvmOptions = new ArrayList<>();
  private final List<String> classPath = new ArrayList<>();
  private final Map<String, String> env = new HashMap<>();
  private String agentArgument;
  private String mainClass;
  private final List<String> args = new ArrayList<>();
  private long timeoutSeconds = 90;
  private Path directory;

  private ForkedJvm(Path java) {
    this.java = java;
    classPath.add(TEST_CLASSES.toString());
  }

  /** A JVM to run with {@code java}; a test whose {@code java} is missing stops here ({@link Jdks#assumeInstalled}). */
  public static ForkedJvm on(Path java) {
    Jdks.assumeInstalled(java);
    return new ForkedJvm(java);
  }

  /** Runs with {@code -javaagent:<shaded jar>=argument}; {@code ""} means no argument. */
  public ForkedJvm agent(String argument) {
    this.agentArgument = argument;
    return this;
  }

  public ForkedJvm jvm(String... options) {
    jvmOptions.addAll(List.of(options));
    return this;
  }

  public ForkedJvm env(String name, String value) {
    env.put(name, value);
    return this;
  }

  /** Replaces the class path (default: the test classes). */
  public ForkedJvm classPath(List<Path> entries) {
    classPath.clear();
    entries.forEach(p -> classPath.add(p.toString()));
    return this;
  }

  /** Adds every jar of the application-library directory (old ByteBuddy, Micrometer). */
  public ForkedJvm withAppLibraries() throws IOException {
    try (var jars = Files.list(APP_LIBS)) {
      jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> classPath.add(p.toString()));
    }
    return this;
  }

  /** How long the JVM may run before the test fails (default 90 s). */
  public ForkedJvm timeoutSeconds(long seconds) {
    this.timeoutSeconds = seconds;
    return this;
  }

  /** The working directory (default: {@code work/} in the run's directory). */
  public ForkedJvm directory(Path dir) {
    this.directory = dir;
    return this;
  }

  /** Adds class path entries after the current ones. */
  public ForkedJvm addClassPath(List<Path> entries) {
    entries.forEach(p -> classPath.add(p.toString()));
    return this;
  }

  public ForkedJvm main(Class<?> main, String... arguments) {
    return main(main.getName(), arguments);
  }

  /** For applications that are not on the test class path (e.g. the Spring Boot app). */
  public ForkedJvm main(String className, String... arguments) {
    this.mainClass = className;
    args.addAll(List.of(arguments));
    return this;
  }

  /** Runs the JVM to its end (at most {@link #timeoutSeconds}) and returns what it did. */
  public Result run() throws IOException, InterruptedException {
    return start().result();
  }

  /** Starts the JVM and returns at once, for tests that talk to it while it runs. */
  public Running start() throws IOException {
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.add("-Xmx256m");
    command.add("-XX:+UseSerialGC");
    command.add("-XX:TieredStopAtLevel=1"); // fast start; the tests measure behaviour, not speed
    command.add("-XX:+UnlockDiagnosticVMOptions");
    command.add("-XX:+BytecodeVerificationLocal"); // also verify boot-path classes (the runtime)
    command.add("-XX:+BytecodeVerificationRemote");
    command.add("-XX:-CreateCoredumpOnCrash"); // a crash must fail the test, not fill the build dir
    Path run = runDirectory();
    command.add(tmpdirOption(run)); // before the test's options: a -D of its own wins
    if (agentArgument != null) {
      command.add("-javaagent:" + AGENT_JAR.toAbsolutePath() + (agentArgument.isEmpty() ? "" : "=" + agentArgument));
    }
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(String.join(File.pathSeparator, classPath));
    command.add(mainClass);
    command.addAll(args);
    Path dir = directory != null ? directory : Files.createDirectory(run.resolve("work"));
    Path out = run.resolve("stdout");
    Path err = run.resolve("stderr");
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(devNull()));
    pb.environment().keySet().removeIf(k -> k.startsWith("REBYTE_") || k.startsWith("JAVA_TOOL_OPTIONS")
        || k.equals("JDK_JAVA_OPTIONS") || k.equals("_JAVA_OPTIONS"));
    pb.environment().putAll(env);
    long start = System.nanoTime();
    return new Running(pb.start(), String.join(" ", command), out, err, start, timeoutSeconds);
  }

  /**
   * A new directory for one forked JVM, {@code target/forked/run-N}, with an empty {@code tmp/} for
   * its {@code java.io.tmpdir} ({@link #tmpdirOption}). Left in place after the run, for reading.
   */
  static Path runDirectory() throws IOException {
    Path run = Files.createTempDirectory(Files.createDirectories(RUNS), "run-");
    Files.createDirectory(run.resolve("tmp"));
    return run;
  }

  /** {@code -Djava.io.tmpdir=} the {@code tmp/} of a {@link #runDirectory()}. */
  static String tmpdirOption(Path run) {
    return "-Djava.io.tmpdir=" + run.resolve("tmp");
  }

  /** A forked JVM still running; {@link #close()} kills it if it has not ended. */
  public static final class Running implements AutoCloseable {
    public final Process process;
    final String command;
    private final Path out;
    private final Path err;
    private final long startNanos;
    private final long timeoutSeconds;

    Running(Process process, String command, Path out, Path err, long startNanos, long timeoutSeconds) {
      this.process = process;
      this.command = command;
      this.out = out;
      this.err = err;
      this.startNanos = startNanos;
      this.timeoutSeconds = timeoutSeconds;
    }

    /** Standard error so far. */
    public String stderr() throws IOException {
      return Files.readString(err, StandardCharsets.UTF_8);
    }

    /** Waits for the end (at most the JVM's timeout) and returns what it did. */
    public Result result() throws IOException, InterruptedException {
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("forked JVM timed out: " + command);
      }
      long millis = (System.nanoTime() - startNanos) / 1_000_000;
      return new Result(command, process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8), millis);
    }

    /** For assertion messages while it runs. */
    public String describe() {
      try {
        return "\n$ " + command + "\n--- stdout\n" + Files.readString(out, StandardCharsets.UTF_8)
            + "--- stderr\n" + stderr();
      } catch (IOException e) {
        return "\n$ " + command + "\n(output unreadable: " + e + ")";
      }
    }

    @Override
    public void close() {
      try {
        if (process.isAlive()) {
          process.destroy();
          if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
          }
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  private static File devNull() {
    return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }

  /**
   * What the agent ({@code AgentLog}) and the runtime ({@code Log}, {@code LeakTracker},
   * {@code Poison}) print when something is wrong; "failed classes N" only counts when N is not 0.
   */
  static final Pattern AGENT_PROBLEM = Pattern.compile(
      "config error|rewriting disabled|agent failed|left \\S+ unchanged|leak: |use after release|internal error"
          + "|could not|cannot|failed classes [1-9]|failed(?! classes)|not installed|not registered|no GC notifications"
          + "|lines dropped");

  /** What a forked JVM did. */
  public static final class Result {
    public final String command;
    public final int exitCode;
    public final String stdout;
    public final String stderr;
    public final long millis;

    Result(String command, int exitCode, String stdout, String stderr, long millis) {
      this.command = command;
      this.exitCode = exitCode;
      this.stdout = stdout;
      this.stderr = stderr;
      this.millis = millis;
    }

    /** Lines of standard error that start with {@code prefix}. */
    public List<String> stderrLines(String prefix) {
      List<String> out = new ArrayList<>();
      for (String line : stderr.split("\\R")) {
        if (line.startsWith(prefix)) {
          out.add(line);
        }
      }
      return out;
    }

    /**
     * The agent's and the runtime's lines that report a problem: a configuration error, a failed
     * start, a class left unchanged (failed open), a leak, a use after release, an internal error, a
     * report or metrics failure, dropped log lines. Informational lines ({@code config:},
     * {@code installed}, {@code pool ...}, {@code rewrote ... failed classes 0}) are not problems.
     */
    public List<String> agentProblems() {
      List<String> out = new ArrayList<>();
      for (String line : stderrLines("[rebyte] ")) {
        if (AGENT_PROBLEM.matcher(line).find()) {
          out.add(line);
        }
      }
      return out;
    }

    /** Like {@link #agentProblems()}, without the leak lines (for programs that do not close everything). */
    public List<String> agentProblemsExceptLeaks() {
      List<String> out = new ArrayList<>(agentProblems());
      out.removeIf(l -> l.startsWith("[rebyte] leak: "));
      return out;
    }

    /** The {@code [app-pool]} statistics printed by {@code PoolStats}, by attribute name. */
    public Map<String, Long> poolStats() {
      Map<String, Long> stats = new HashMap<>();
      for (String line : stderrLines("[app-pool]")) {
        for (String part : line.substring("[app-pool]".length()).trim().split(" ")) {
          int eq = part.indexOf('=');
          if (eq > 0) {
            try {
              stats.put(part.substring(0, eq), Long.parseLong(part.substring(eq + 1)));
            } catch (NumberFormatException ignored) {
              // a non-numeric attribute: not used by the tests
            }
          }
        }
      }
      return stats;
    }

    /** For assertion messages: everything needed to reproduce and understand a failure. */
    public String describe() {
      return "\n$ " + command + "\nexit " + exitCode + " after " + millis + " ms\n--- stdout\n" + stdout
          + "--- stderr\n" + stderr;
    }
  }
}
