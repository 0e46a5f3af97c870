package dev.rebyte.agent.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/** The Attach API calls of {@code attach}, with one message and exit status per failure. */
final class VmAttacher {
  private VmAttacher() {}

  static ExitCode load(String pid, Path jar, String options, PrintStream out, PrintStream err) {
    // The attach API sends SIGQUIT to a process it does not know as a JVM, which would kill a
    // non-Java process: only attach to JVMs it lists.
    boolean listed = VirtualMachine.list().stream().anyMatch(d -> d.id().equals(pid));
    if (!listed) {
      err.println("rebyte: attach: process " + pid + " is not a JVM this user can attach to (the attach API"
          + " does not list it: started with -XX:+DisableAttachMechanism, not Java, another user or"
          + " container, or -XX:-UsePerfData)");
      return ExitCode.ATTACH_UNSUPPORTED;
    }
    VirtualMachine vm;
    try {
      vm = VirtualMachine.attach(pid);
    } catch (AttachNotSupportedException | IOException e) {
      err.println("rebyte: attach: cannot attach to JVM " + pid + ": " + e.getMessage()
          + " (was it started with -XX:+DisableAttachMechanism?)");
      return ExitCode.ATTACH_UNSUPPORTED;
    }
    try {
      String version = vm.getSystemProperties().getProperty("java.specification.version", "?");
      vm.loadAgent(jar.toString(), options.isEmpty() ? null : options);
      out.println("rebyte: loaded " + jar.getFileName() + " into JVM " + pid + " (Java " + version + ")"
          + (options.isEmpty() ? "" : " with '" + options + "'")
          + "; the agent reports on that JVM's standard error");
      if (feature(version) >= 21) {
        out.println("rebyte: note: Java " + version + " warns about dynamically loaded agents unless started"
            + " with -XX:+EnableDynamicAgentLoading (JEP 451)");
      }
      return ExitCode.OK;
    } catch (AgentInitializationException e) {
      err.println("rebyte: attach: the agent failed to start in JVM " + pid + ": " + e.getMessage()
          + " (see that JVM's standard error)");
      return ExitCode.FAILED;
    } catch (AgentLoadException | IOException e) {
      err.println("rebyte: attach: JVM " + pid + " could not load " + jar + ": " + e);
      return ExitCode.FAILED;
    } finally {
      try {
        vm.detach();
      } catch (IOException ignored) {
        // the target went away; nothing to release here
      }
    }
  }

  private static int feature(String specVersion) {
    try {
      return Integer.parseInt(specVersion.startsWith("1.") ? specVersion.substring(2) : specVersion);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
