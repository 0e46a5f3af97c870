package dev.rebyte.examples.service;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * What {@code GET /stats} answers, one {@code key=value} per line: JVM uptime, bytes allocated, GC
 * counts and time, heap use and G1 region size, and the Rebyte pool's JMX attributes (or
 * {@code pool=none} without the agent). The end-to-end harness takes it before and after its
 * measurement window.
 *
 * <h2>Bytes allocated</h2>
 * On JDK 21+ {@code com.sun.management.ThreadMXBean#getTotalThreadAllocatedBytes} (every thread
 * that ever ran, JDK-8304074); before, the sum of {@code getThreadAllocatedBytes} over the live
 * threads. The service serves from a fixed pool of worker threads that live as long as it does, so
 * on JDK 17 the sum misses only threads that ended in the window (none on the request path); the
 * {@code alloc.method} line says which one was used.
 */
final class ServiceStats {
  static final String[] POOL_ATTRIBUTES = {
    "Hits", "Misses", "Bypasses", "ReleasesPooled", "ReleasesDropped", "ReleasesRejected",
    "RetainedBytes", "RetainedBuffers", "MaxBytes", "BytesSaved", "Outstanding", "Leaks", "Sites"
  };

  private final com.sun.management.ThreadMXBean threads =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private final Method totalAllocated = totalAllocatedMethod();

  private static Method totalAllocatedMethod() {
    try {
      return com.sun.management.ThreadMXBean.class.getMethod("getTotalThreadAllocatedBytes");
    } catch (NoSuchMethodException e) {
      return null; // before JDK 21
    }
  }

  Map<String, String> snapshot() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("uptime.ms", Long.toString(ManagementFactory.getRuntimeMXBean().getUptime()));
    s.put("java.version", System.getProperty("java.version"));
    allocated(s);
    long count = 0;
    long millis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      count += Math.max(0, gc.getCollectionCount());
      millis += Math.max(0, gc.getCollectionTime());
    }
    s.put("gc.count", Long.toString(count));
    s.put("gc.time.ms", Long.toString(millis));
    s.put("heap.used", Long.toString(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed()));
    s.put("g1.region.bytes", regionSize());
    pool(s);
    return s;
  }

  private void allocated(Map<String, String> s) {
    if (totalAllocated != null) {
      try {
        s.put("alloc.bytes", totalAllocated.invoke(threads).toString());
        s.put("alloc.method", "total");
        return;
      } catch (ReflectiveOperationException | RuntimeException e) {
        // fall back to the live threads
      }
    }
    long sum = 0;
    for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
      sum += Math.max(0, bytes);
    }
    s.put("alloc.bytes", Long.toString(sum));
    s.put("alloc.method", "live-threads");
  }

  private static String regionSize() {
    try {
      return ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
          .getVMOption("G1HeapRegionSize").getValue();
    } catch (RuntimeException e) {
      return "-";
    }
  }

  /**
   * Per-site counters ({@code site.<Class>.<method>.hits=..}, misses, bypasses) from
   * {@code Rebyte.stats().sites()}, read reflectively like the MBean.
   */
  private static void sites(Map<String, String> s) throws ReflectiveOperationException {
    Object stats = Class.forName("dev.rebyte.runtime.Rebyte", true, null).getMethod("stats").invoke(null);
    for (Object site : (java.util.List<?>) stats.getClass().getMethod("sites").invoke(stats)) {
      Class<?> c = site.getClass();
      String owner = (String) c.getMethod("className").invoke(site);
      String key = "site." + owner.substring(owner.lastIndexOf('/') + 1) + "." + c.getMethod("methodName").invoke(site);
      for (String counter : new String[] {"hits", "misses", "bypasses", "bytesSaved"}) {
        s.put(key + "." + counter, String.valueOf(c.getMethod(counter).invoke(site)));
      }
    }
  }

  /** The pool's attributes by JMX name; the service needs no compile dependency on the agent. */
  private static void pool(Map<String, String> s) {
    try {
      // registration is otherwise asynchronous; the runtime is on the boot class path
      Class.forName("dev.rebyte.runtime.Rebyte", true, null).getMethod("registerMBean").invoke(null);
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      ObjectName name = new ObjectName("dev.rebyte:type=Pool");
      for (String attribute : POOL_ATTRIBUTES) {
        s.put("pool." + attribute, String.valueOf(server.getAttribute(name, attribute)));
      }
      sites(s);
    } catch (ClassNotFoundException e) {
      s.put("pool", "none");
    } catch (Exception e) {
      s.put("pool", "unavailable " + e);
    }
  }
}
