package dev.rebyte.it.peer;

import dev.rebyte.it.apps.PoolStats;

/**
 * Forked-JVM main of {@code PeerSuiteIT}: runs the JUnit Platform Console Launcher with the given
 * arguments and, when the launcher exits, prints the pool's statistics ({@code [app-pool] ...}).
 * First prints {@code [peer] java.io.tmpdir=PATH} on standard error: where the suite's temporary
 * files go, which the test checks is the run's own directory, not the system's.
 */
public final class PeerSuiteMain {
  private PeerSuiteMain() {}

  public static void main(String[] args) throws Throwable {
    System.err.println("[peer] java.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
    Runtime.getRuntime().addShutdownHook(new Thread(PoolStats::print, "pool-stats"));
    Class<?> launcher = Class.forName("org.junit.platform.console.ConsoleLauncher");
    try {
      launcher.getMethod("main", String[].class).invoke(null, (Object) args);
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
