package dev.rebyte.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.jar.JarFile;

/**
 * The agent's entry point ({@code Premain-Class} and {@code Agent-Class}).
 *
 * <p>This class must stay tiny and reference no runtime, ByteBuddy or ASM type: it runs on the
 * system class loader before the runtime jar is on the bootstrap search path, and any class it links
 * early could resolve {@code dev.rebyte.runtime.*} too soon. Steps:
 * <ol>
 *   <li>extract the nested runtime jar ({@value #RUNTIME_JAR}) to a temp file (deleted on exit) and
 *       append it to the bootstrap class loader search, so rewritten code in every class loader can
 *       call {@code dev.rebyte.runtime.Rebyte};</li>
 *   <li>call {@code dev.rebyte.agent.install.AgentInstaller.install} reflectively.</li>
 * </ol>
 * Nothing escapes into the application (fail open, DESIGN rule 6) except the one deliberate
 * failure: a configuration error under {@code rebyte.strict=true}, which stops startup (exit status 1).
 */
public final class RebyteAgent {
  static final String RUNTIME_JAR = "dev/rebyte/agent/boot/rebyte-runtime.jar";
  private static final String INSTALLER = "dev.rebyte.agent.install.AgentInstaller";
  private static final String STRICT_FAILURE = "dev.rebyte.agent.install.StrictConfigFailure";
  private static boolean runtimeOnBootPath;

  private RebyteAgent() {}

  /** {@code -javaagent:rebyte-agent.jar[=key=value;...]}. */
  public static void premain(String args, Instrumentation inst) {
    start(args, inst, false);
  }

  /**
   * Late attach: also retransforms already-loaded selected classes. A later attach with
   * {@code mode=off} removes the installed transformer and restores the original classes; one with
   * {@code mode=rewrite} after that installs again ({@code AgentInstaller} keeps that state).
   */
  public static void agentmain(String args, Instrumentation inst) {
    start(args, inst, true);
  }

  private static synchronized void start(String args, Instrumentation inst, boolean lateAttach) {
    try {
      if (!runtimeOnBootPath) { // once per JVM: a second copy on the boot path would only be dead weight
        appendRuntimeToBootstrap(inst);
        runtimeOnBootPath = true;
      }
      Class<?> installer = Class.forName(INSTALLER, true, RebyteAgent.class.getClassLoader());
      installer.getMethod("install", String.class, Instrumentation.class, boolean.class)
          .invoke(null, args, inst, lateAttach);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause != null && cause.getClass().getName().equals(STRICT_FAILURE)) {
        stopStartup(cause, lateAttach);
        return;
      }
      report(cause == null ? e : cause);
    } catch (Throwable t) {
      report(t);
    }
  }

  /**
   * {@code rebyte.strict=true} with a bad configuration. At JVM start the application must not run:
   * print the message and exit with status 1 (a throwing premain would make the JVM abort with a
   * native "processing of -javaagent failed" and SIGABRT). On late attach the target JVM is already
   * serving: only the attach fails, with the message going back to the attaching tool.
   */
  private static void stopStartup(Throwable failure, boolean lateAttach) {
    if (lateAttach) {
      throw (RuntimeException) failure;
    }
    System.err.println(failure.getMessage());
    System.exit(1);
  }

  private static void appendRuntimeToBootstrap(Instrumentation inst) throws Exception {
    inst.appendToBootstrapClassLoaderSearch(new JarFile(extractRuntimeJar()));
  }

  /**
   * Copies the runtime jar nested in the agent jar to a temporary file (deleted on exit). Used by
   * premain (boot path) and by the command line (its own class loader).
   */
  public static File extractRuntimeJar() throws IOException {
    File jar = File.createTempFile("rebyte-runtime-", ".jar");
    jar.deleteOnExit();
    try (InputStream in = RebyteAgent.class.getClassLoader().getResourceAsStream(RUNTIME_JAR)) {
      if (in == null) {
        throw new IllegalStateException("the agent jar lacks " + RUNTIME_JAR + " (broken build?)");
      }
      Files.copy(in, jar.toPath(), StandardCopyOption.REPLACE_EXISTING);
    }
    return jar;
  }

  private static void report(Throwable t) {
    System.err.println("[rebyte] agent failed to start, the application runs without it: " + t);
  }
}
