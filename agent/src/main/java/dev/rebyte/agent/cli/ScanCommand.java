package dev.rebyte.agent.cli;

import dev.rebyte.agent.config.AgentConfig;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code scan}: what the agent would do to these classes, without running anything. */
final class ScanCommand extends Command {
  ScanCommand() {
    super("scan", "what the agent would do to the byte[] sites of jars or classes (runs nothing)",
        "scan [--include SEL] [--exclude SEL] [--config FILE] [--min-size SIZE] [--json] <jar|dir|classpath>...",
        Set.of("--json"), Set.of("--include", "--exclude", "--config", "--min-size"));
  }

  @Override
  String help() {
    return "Reads class files (jars, directories, class paths; dir/* for every jar of a directory)\n"
        + "and prints, for every new byte[n] site of the selected classes, what the agent would do:\n"
        + "POOLED, REJECTED or SKIPPED, with the reason and its detail. Nothing is loaded or run;\n"
        + "the analysis, selection and settings are the agent's own, and stack map frames are\n"
        + "computed against the inputs plus this JDK, as the agent would in the application.\n\n"
        + "Options (the agent's keys; -Drebyte.* and REBYTE_* apply too, as for the agent):\n"
        + "  --include SEL    rebyte.include selectors, comma-separated or repeated\n"
        + "                   (default: every class of the inputs; a scan only reads)\n"
        + "  --exclude SEL    rebyte.exclude selectors\n"
        + "  --config FILE    a rebyte.properties file (the agent's config=)\n"
        + "  --min-size SIZE  rebyte.min-size, e.g. 4k (smaller constant lengths are skipped)\n"
        + "  --json           print the agent's JSON site report (the rebyte.report format)\n\n"
        + "The last line of the table is the summary; scan exits 1 when some class could not be\n"
        + "analysed or rewritten (listed above it; often a dependency missing from the inputs).\n";
  }

  @Override
  ExitCode run(CommandLine line, PrintStream out, PrintStream err) throws Exception {
    if (line.positionals().isEmpty()) {
      throw new UsageException("no input: give a jar, a directory or a class path");
    }
    ClassInputs inputs = ClassInputs.of(line.positionals());
    List<String> warnings = new ArrayList<>();
    AgentConfig config = ScanSettings.load(line.joined("--include"), line.joined("--exclude"),
        line.single("--config"), line.single("--min-size"), warnings);
    warnings.forEach(w -> err.println("rebyte: scan: warning: " + w));
    ScanResult result = ClassScanner.scan(inputs, config);
    if (line.has("--json")) {
      out.print(result.report.toJson());
      err.println(result.summary());
    } else {
      out.print(ScanTable.render(result));
    }
    return result.failures.isEmpty() ? ExitCode.OK : ExitCode.FAILED;
  }
}
