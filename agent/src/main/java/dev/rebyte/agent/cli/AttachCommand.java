package dev.rebyte.agent.cli;

import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;

/**
 * {@code attach}: loads this jar as an agent into a running JVM. Touches {@code jdk.attach} only
 * through {@link VmAttacher}, so a runtime without that module gets a message, not a linkage error.
 */
final class AttachCommand extends Command {
  AttachCommand() {
    super("attach", "load the agent into a running JVM (mode=off takes it out again)",
        "attach <pid> [key=value;...]", Set.of(), Set.of());
  }

  @Override
  String help() {
    return "Loads this jar into the running JVM <pid> (the Attach API's loadAgent); its agentmain\n"
        + "installs the agent and retransforms the selected classes already loaded. The arguments are\n"
        + "the agent's (rebyte. prefix optional); several words are joined with ';'. For example:\n"
        + "  " + Cli.JAR + " attach 4242 include=com.acme;report=/tmp/rebyte.json\n"
        + "  " + Cli.JAR + " attach 4242 mode=off\n\n"
        + "mode=off removes the installed transformer and retransforms the selected classes back to\n"
        + "their original bytes (methods running at that moment finish on the rewritten code, which\n"
        + "is safe: each returns its own arrays). A later attach with mode=rewrite installs again.\n"
        + "A second attach while installed is ignored by the agent.\n\n"
        + "The agent prints its [rebyte] lines on the target's standard error, not here.\n\n"
        + "JDK 21 and later (JEP 451) print a warning in the target when an agent is loaded\n"
        + "dynamically, unless the target runs with -XX:+EnableDynamicAgentLoading; a future JDK may\n"
        + "refuse without it. Start services you may attach to with that option, or use\n"
        + "-javaagent: at startup.\n\n"
        + "Needs a JDK (the jdk.attach module) and the same user as the target. A target started with\n"
        + "-XX:+DisableAttachMechanism, or not visible to the attach API (another user or container,\n"
        + "-XX:-UsePerfData), cannot be attached: exit status 3.\n";
  }

  @Override
  ExitCode run(CommandLine line, PrintStream out, PrintStream err) throws Exception {
    List<String> positionals = line.positionals();
    if (positionals.isEmpty()) {
      throw new UsageException("no process id");
    }
    String pid = positionals.get(0);
    if (!pid.matches("[0-9]{1,18}") || Long.parseLong(pid) <= 0) {
      throw new UsageException("'" + pid + "' is not a process id");
    }
    if (Long.parseLong(pid) == ProcessHandle.current().pid()) {
      throw new UsageException("pid " + pid + " is this command itself");
    }
    String options = String.join(";", positionals.subList(1, positionals.size()));
    if (!ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false)) {
      err.println("rebyte: attach: no process with pid " + pid);
      return ExitCode.ATTACH_UNSUPPORTED;
    }
    if (!attachApiPresent()) {
      err.println("rebyte: attach: this Java runtime (" + System.getProperty("java.home")
          + ") has no jdk.attach module; run the command with a full JDK");
      return ExitCode.ATTACH_UNSUPPORTED;
    }
    Path jar = agentJar();
    if (jar == null) {
      err.println("rebyte: attach: not running from the agent jar; use " + Cli.JAR + " attach ...");
      return ExitCode.FAILED;
    }
    return VmAttacher.load(pid, jar, options, out, err);
  }

  private static boolean attachApiPresent() {
    try {
      Class.forName("com.sun.tools.attach.VirtualMachine");
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** The jar this class was loaded from, or null when it was not a jar (tests, an IDE). */
  private static Path agentJar() {
    try {
      Path p = Paths.get(AttachCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return Files.isRegularFile(p) && p.toString().endsWith(".jar") ? p.toAbsolutePath() : null;
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
  }
}
