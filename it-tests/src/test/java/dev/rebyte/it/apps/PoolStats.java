package dev.rebyte.it.apps;

import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Prints the pool's JMX statistics on standard error as one line
 * {@code [app-pool] Hits=.. Misses=.. ...}, or {@code [app-pool] none} when no agent runs. Reads
 * the MBean by name through the platform server, so the apps need no compile dependency on the
 * runtime; {@code Rebyte.registerMBean()} is called reflectively because registration is otherwise
 * asynchronous.
 */
public final class PoolStats {
  static final String[] ATTRIBUTES = {
    "Hits", "Misses", "Bypasses", "ReleasesPooled", "ReleasesDropped", "ReleasesRejected",
    "RetainedBytes", "RetainedBuffers", "MaxBytes", "BytesSaved", "Outstanding", "Leaks", "Sites",
    "UseAfterRelease"
  };

  private PoolStats() {}

  public static void print() {
    StringBuilder b = new StringBuilder("[app-pool]");
    try {
      Class<?> rebyte = Class.forName("dev.rebyte.runtime.Rebyte", true, null);
      rebyte.getMethod("registerMBean").invoke(null);
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      ObjectName name = new ObjectName("dev.rebyte:type=Pool");
      for (String attribute : ATTRIBUTES) {
        b.append(' ').append(attribute).append('=').append(server.getAttribute(name, attribute));
      }
    } catch (ClassNotFoundException e) {
      b.append(" none");
    } catch (Exception e) {
      b.append(" unavailable ").append(e);
    }
    System.err.println(b);
  }
}
