package dev.rebyte.agent.cli;

import java.io.PrintStream;
import java.util.Set;

/** One command of the jar's command line: its name, options, help text and action. */
abstract class Command {
  final String name;
  final String summary;
  final String usage;
  final Set<String> flags;
  final Set<String> options;

  /**
   * @param usage the synopsis after {@code java -jar rebyte-agent.jar}
   */
  Command(String name, String summary, String usage, Set<String> flags, Set<String> options) {
    this.name = name;
    this.summary = summary;
    this.usage = usage;
    this.flags = flags;
    this.options = options;
  }

  /** The full {@code --help} text: synopsis, description, options (without the exit-code table). */
  abstract String help();

  /**
   * Runs the command.
   *
   * @return the exit status
   * @throws UsageException for bad arguments found after parsing (printed with the usage hint)
   */
  abstract ExitCode run(CommandLine line, PrintStream out, PrintStream err) throws Exception;
}
