package dev.rebyte.agent.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The command line of the agent jar, its façade: {@code java -jar rebyte-agent.jar <command>}.
 *
 * <pre>
 * command  what it does                                           reads              exit
 * scan     the agent's decisions for class files, nothing run      jars, dirs         0, 1 failed classes, 2
 * advise   hot byte[] sites of a JFR recording, a rebyte.properties .jfr (+ classes)   0, 1 no byte[] events, 2
 * attach   loads the agent into a running JVM (mode=off: reset)     pid                0, 1 load failed, 2, 3
 * </pre>
 * Errors are one line ({@code rebyte: <command>: <what>}) and a usage hint on standard error.
 */
public final class Cli {
  static final String JAR = "java -jar rebyte-agent.jar";
  private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

  static {
    for (Command c : new Command[] {new ScanCommand(), new AdviseCommand(), new AttachCommand()}) {
      COMMANDS.put(c.name, c);
    }
  }

  private Cli() {}

  /** Called by {@link Launcher}; prints to the standard streams. */
  public static int run(String[] args) {
    return run(args, System.out, System.err);
  }

  /** Runs one command line and returns its exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.print(overview());
      return ExitCode.USAGE.status;
    }
    String name = args[0];
    if (name.equals("--help") || name.equals("-h") || name.equals("help")) {
      if (args.length > 1 && COMMANDS.containsKey(args[1])) {
        out.print(helpOf(COMMANDS.get(args[1])));
      } else {
        out.print(overview());
      }
      return ExitCode.OK.status;
    }
    Command command = COMMANDS.get(name);
    if (command == null) {
      err.println("rebyte: unknown command '" + name + "'");
      err.println("usage: " + JAR + " <scan|advise|attach> ... (try '" + JAR + " --help')");
      return ExitCode.USAGE.status;
    }
    try {
      CommandLine line = CommandLine.parse(Arrays.copyOfRange(args, 1, args.length), command.flags, command.options);
      if (line.has("--help")) {
        out.print(helpOf(command));
        return ExitCode.OK.status;
      }
      ExitCode code = command.run(line, out, err);
      out.flush();
      return code.status;
    } catch (UsageException e) {
      err.println("rebyte: " + command.name + ": " + e.getMessage());
      err.println("usage: " + JAR + " " + command.usage + " (try '" + JAR + " " + command.name + " --help')");
      return ExitCode.USAGE.status;
    } catch (Exception e) {
      err.println("rebyte: " + command.name + " failed: " + e);
      return ExitCode.FAILED.status;
    }
  }

  static String helpOf(Command c) {
    return "usage: " + JAR + " " + c.usage + "\n\n" + c.help() + "\n" + ExitCode.table();
  }

  static String overview() {
    StringBuilder b = new StringBuilder();
    b.append("Rebyte: pools provably non-escaping new byte[n] allocations.\n\n");
    b.append("As an agent:  java -javaagent:rebyte-agent.jar=include=com.acme;report=r.json -jar app.jar\n");
    b.append("As a tool:    ").append(JAR).append(" <command> [options]\n\nCommands:\n");
    for (Command c : COMMANDS.values()) {
      b.append(String.format("  %-7s %s%n", c.name, c.summary));
    }
    b.append("\n'").append(JAR).append(" <command> --help' describes a command.\n\n");
    b.append(ExitCode.table());
    return b.toString();
  }
}
