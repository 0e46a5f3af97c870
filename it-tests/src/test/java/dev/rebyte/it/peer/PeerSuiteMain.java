package dev.rebyte.it.peer;

import dev.rebyte.it.apps.PoolStats;

/**
 * Forked-JVM main of {@code PeerSuiteIT}: runs the JUnit Platform Console Launcher with the given
 * arguments and, when the launcher exits, prints the pool's statistics ({@code [app-pool] ...}).
 */
public final class PeerSuiteMain {
  private PeerSuiteMain() {}

  public static void main(String[] args) throws Throwable {
    Runtime.getRuntime().addShutdownHook(new Thread(PoolStats::print, "pool-stats"));
    Class<?> launcher = Class.forName("org.junit.platform.console.ConsoleLauncher");
    try {
      launcher.getMethod("main", String[].class).invoke(null, (Object) args);
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
