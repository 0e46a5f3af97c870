package dev.rebyte.agent.cli;

import dev.rebyte.agent.config.AgentConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code advise}: which byte[] sites of a JFR recording are hot, and what the agent does with them. */
final class AdviseCommand extends Command {
  static final int DEFAULT_TOP = 10;

  AdviseCommand() {
    super("advise", "rank the byte[] allocation sites of a JFR recording and propose a rebyte.properties",
        "advise <recording.jfr> [--include SEL] [--exclude SEL] [--classes <jar|dir|classpath>...] "
            + "[--config FILE] [--min-size SIZE] [--top N] [--output FILE]",
        Set.of(), Set.of("--include", "--exclude", "--classes", "--config", "--min-size", "--top", "--output"));
  }

  @Override
  String help() {
    return "Reads byte[] allocations from a JFR recording (jdk.ObjectAllocationSample, weight in bytes;\n"
        + "or jdk.ObjectAllocationInNewTLAB/OutsideTLAB when the recording has no samples), attributes\n"
        + "each to the first stack frame in your code (not the JDK helper on top, such as Arrays.copyOf),\n"
        + "ranks those sites by bytes, joins each with the agent's decision from a scan of --classes, and\n"
        + "prints a proposed rebyte.properties: packages to include, which hot sites will be pooled, the\n"
        + "estimated bytes per second saved, and which hot sites are rejected and why.\n\n"
        + "Record with, for example:\n"
        + "  java -XX:StartFlightRecording=filename=rec.jfr,settings=profile -jar app.jar\n"
        + "  jcmd <pid> JFR.start settings=profile duration=60s filename=rec.jfr\n\n"
        + "Options:\n"
        + "  --include SEL    your code (rebyte.include selectors); default: every non-JDK class\n"
        + "  --exclude SEL    rebyte.exclude selectors\n"
        + "  --classes PATH   the application's jars or class directories (one or more; more paths may\n"
        + "                   follow as arguments); without it decisions are unknown\n"
        + "  --config FILE    settings for the scan of --classes (rebyte.properties)\n"
        + "  --min-size SIZE  rebyte.min-size for the scan\n"
        + "  --top N          how many sites to show (default " + DEFAULT_TOP + ")\n"
        + "  --output FILE    write the properties there instead of printing them\n\n"
        + "advise exits 1 when the recording holds no byte[] allocation event.\n";
  }

  @Override
  ExitCode run(CommandLine line, PrintStream out, PrintStream err) throws Exception {
    List<String> positionals = line.positionals();
    if (positionals.isEmpty()) {
      throw new UsageException("no recording: give a .jfr file");
    }
    Path file = Paths.get(positionals.get(0));
    if (!Files.isRegularFile(file)) {
      throw new UsageException("no such recording: " + file);
    }
    List<String> classes = new ArrayList<>(line.all("--classes"));
    if (positionals.size() > 1) {
      if (classes.isEmpty()) {
        throw new UsageException("unexpected argument '" + positionals.get(1) + "' (one recording; classes go after --classes)");
      }
      classes.addAll(positionals.subList(1, positionals.size()));
    }
    int top = top(line.single("--top"));
    ClassInputs inputs = classes.isEmpty() ? null : ClassInputs.of(classes);
    List<String> warnings = new ArrayList<>();
    AgentConfig config = ScanSettings.load(line.joined("--include"), line.joined("--exclude"),
        line.single("--config"), line.single("--min-size"), warnings);
    warnings.forEach(w -> err.println("rebyte: advise: warning: " + w));

    AllocationRecording recording;
    try {
      recording = AllocationRecording.read(file, config.selector()::selectsClass);
    } catch (IOException e) {
      throw new UsageException("cannot read " + file + " as a JFR recording: " + e.getMessage());
    }
    if (recording.events == 0) {
      err.println("rebyte: advise: " + file + " holds no byte[] allocation event (" + AllocationRecording.SAMPLE
          + " is on in the default and profile settings of JDK 16+; record with settings=profile)");
      return ExitCode.FAILED;
    }
    ScanResult scan = inputs == null ? null : ClassScanner.scan(inputs, config);
    String selection = line.joined("--include") == null ? "every non-JDK class"
        : "include=" + line.joined("--include");
    String text = new Advice(recording, scan).render(file.getFileName().toString(), top, selection,
        line.single("--min-size"));
    String output = line.single("--output");
    if (output == null) {
      out.print(text);
    } else {
      Files.write(Paths.get(output), text.getBytes(StandardCharsets.UTF_8));
      err.println("rebyte: advise: wrote " + output);
    }
    return ExitCode.OK;
  }

  private static int top(String value) throws UsageException {
    if (value == null) {
      return DEFAULT_TOP;
    }
    try {
      int n = Integer.parseInt(value);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // falls through
    }
    throw new UsageException("--top needs a positive number, not '" + value + "'");
  }
}
