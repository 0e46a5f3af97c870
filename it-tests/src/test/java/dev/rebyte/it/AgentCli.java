package dev.rebyte.it;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the agent jar as a command line, {@code java -jar rebyte-agent.jar <args>}, and captures it. */
final class AgentCli {
  private AgentCli() {}

  static ForkedJvm.Result run(Path java, String... args) throws Exception {
    Jdks.assumeInstalled(java);
    Path dir = ForkedJvm.runDirectory();
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.add(ForkedJvm.tmpdirOption(dir));
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-jar");
    command.add(ForkedJvm.AGENT_JAR.toAbsolutePath().toString());
    command.addAll(List.of(args));
    Path out = dir.resolve("stdout");
    Path err = dir.resolve("stderr");
    ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().keySet().removeIf(k -> k.startsWith("REBYTE_") || k.startsWith("JAVA_TOOL_OPTIONS")
        || k.equals("JDK_JAVA_OPTIONS") || k.equals("_JAVA_OPTIONS"));
    long start = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("command line timed out: " + command);
    }
    return new ForkedJvm.Result(String.join(" ", command), p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8),
        (System.nanoTime() - start) / 1_000_000);
  }
}
