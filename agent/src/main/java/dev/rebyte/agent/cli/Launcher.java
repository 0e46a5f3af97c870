package dev.rebyte.agent.cli;

import dev.rebyte.agent.RebyteAgent;
import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;

/**
 * {@code Main-Class} of the agent jar: {@code java -jar rebyte-agent.jar <command>}.
 *
 * <p>Like {@code RebyteAgent}, this class references no runtime, ByteBuddy or ASM type. The analysis
 * links {@code dev.rebyte.runtime} types (the runtime jar is nested in the agent jar and normally
 * appended to the bootstrap path by premain, which a command line does not run), so the command
 * classes are loaded by a {@link CliClassLoader} over the agent jar and the extracted runtime jar.
 * When the runtime is already visible (tests, an IDE) {@link Cli} is called directly.
 */
public final class Launcher {
  private static final String CLI = "dev.rebyte.agent.cli.Cli";

  private Launcher() {}

  public static void main(String[] args) {
    int status;
    try {
      status = (Integer) cliClass().getMethod("run", String[].class).invoke(null, (Object) args);
    } catch (InvocationTargetException e) {
      System.err.println("rebyte: internal error: " + e.getCause());
      e.getCause().printStackTrace();
      status = 1;
    } catch (Exception | LinkageError e) {
      System.err.println("rebyte: cannot start the command line: " + e);
      status = 1;
    }
    System.out.flush();
    System.exit(status);
  }

  private static Class<?> cliClass() throws Exception {
    ClassLoader own = Launcher.class.getClassLoader();
    if (own.getResource("dev/rebyte/runtime/Rebyte.class") != null) {
      return Class.forName(CLI, true, own);
    }
    URL agentJar = Launcher.class.getProtectionDomain().getCodeSource().getLocation();
    File runtime = RebyteAgent.extractRuntimeJar();
    ClassLoader loader = new CliClassLoader(new URL[] {agentJar, runtime.toURI().toURL()}, own);
    return Class.forName(CLI, true, loader);
  }
}
