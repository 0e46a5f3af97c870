package dev.rebyte.it;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A forked JVM that keeps running while the test acts on it (attach): its output is collected line
 * by line, and the test waits for lines it expects. Same verifying JVM options as {@link ForkedJvm}.
 */
final class RunningJvm implements AutoCloseable {
  private final Process process;
  private final List<String> stdout = new ArrayList<>();
  private final List<String> stderr = new ArrayList<>();
  private final String command;

  private RunningJvm(List<String> command) throws IOException {
    this.command = String.join(" ", command);
    ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().keySet().removeIf(k -> k.startsWith("REBYTE_") || k.startsWith("JAVA_TOOL_OPTIONS")
        || k.equals("JDK_JAVA_OPTIONS") || k.equals("_JAVA_OPTIONS"));
    process = pb.start();
    pump(process.getInputStream(), stdout);
    pump(process.getErrorStream(), stderr);
  }

  static RunningJvm start(Path java, List<String> jvmOptions, Class<?> main, String... args) throws IOException {
    Jdks.assumeInstalled(java);
    List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx128m", "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1", "-XX:+UnlockDiagnosticVMOptions", "-XX:+BytecodeVerificationLocal",
        "-XX:+BytecodeVerificationRemote", "-XX:-CreateCoredumpOnCrash"));
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(ForkedJvm.TEST_CLASSES.toString());
    command.add(main.getName());
    command.addAll(List.of(args));
    return new RunningJvm(command);
  }

  private void pump(InputStream in, List<String> lines) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          synchronized (lines) {
            lines.add(line);
          }
        }
      } catch (IOException ignored) {
        // the process ended
      }
    }, "pump");
    t.setDaemon(true);
    t.start();
  }

  long pid() {
    return process.pid();
  }

  List<String> stdout() {
    synchronized (stdout) {
      return new ArrayList<>(stdout);
    }
  }

  List<String> stderr() {
    synchronized (stderr) {
      return new ArrayList<>(stderr);
    }
  }

  /** Waits until some stdout line matches; fails after {@code seconds}. */
  String awaitStdout(Predicate<String> match, int seconds) throws InterruptedException {
    return await(stdout, match, seconds);
  }

  String awaitStderr(Predicate<String> match, int seconds) throws InterruptedException {
    return await(stderr, match, seconds);
  }

  /** Waits until {@code count} more stdout lines than now have been printed. */
  void awaitMoreStdout(int count, int seconds) throws InterruptedException {
    int target = stdout().size() + count;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (stdout().size() < target) {
      check(deadline, count + " more lines");
    }
  }

  private String await(List<String> lines, Predicate<String> match, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      List<String> copy;
      synchronized (lines) {
        copy = new ArrayList<>(lines);
      }
      for (String line : copy) {
        if (match.test(line)) {
          return line;
        }
      }
      check(deadline, "an expected line");
    }
  }

  private void check(long deadline, String what) throws InterruptedException {
    if (System.nanoTime() > deadline) {
      throw new AssertionError("timed out waiting for " + what + describe());
    }
    if (!process.isAlive() && process.exitValue() != 0) {
      throw new AssertionError("the JVM ended with " + process.exitValue() + describe());
    }
    Thread.sleep(50);
  }

  int awaitExit(int seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      throw new AssertionError("did not exit" + describe());
    }
    Thread.sleep(100); // let the pumps drain
    return process.exitValue();
  }

  String describe() {
    return "\n$ " + command + "\n--- stdout\n" + String.join("\n", stdout()) + "\n--- stderr\n"
        + String.join("\n", stderr());
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
