package dev.rebyte.it.apps;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * An application with its own Micrometer (the it-tests' older 1.12) that knows nothing about
 * Rebyte: it adds a registry to {@code Metrics.globalRegistry}, works, and prints what the global
 * registry shows under {@code rebyte.*} as {@code [app-meters] name{tags}=value} lines, then the
 * JMX view ({@link PoolStats}).
 */
public final class GlobalRegistryApp {
  public static void main(String[] args) throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Metrics.addRegistry(registry);
    for (int round = 0; round < 50; round++) {
      MetricsWorkloadApp.work(round);
    }
    // The agent binds on its own thread once Metrics is initialised: give it a moment (if it runs).
    long deadline = System.nanoTime() + (agentRuns() ? 10_000_000_000L : 0);
    while (registry.find("rebyte.pool.acquires").meters().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    Thread.sleep(300); // the binder caches one snapshot for 200 ms: read after the work settled
    PoolStats.print();
    for (Meter m : registry.getMeters()) {
      if (!m.getId().getName().startsWith("rebyte.")) {
        continue;
      }
      double value = m instanceof FunctionCounter ? ((FunctionCounter) m).count()
          : m instanceof Gauge ? ((Gauge) m).value() : Double.NaN;
      StringBuilder tags = new StringBuilder();
      m.getId().getTags().forEach(t -> tags.append(tags.length() == 0 ? "" : ",").append(t.getKey()).append('=')
          .append(t.getValue()));
      System.err.println("[app-meters] " + m.getId().getName() + "{" + tags + "}=" + (long) value);
    }
    System.out.println("meters " + registry.getMeters().size());
  }

  private static boolean agentRuns() {
    try {
      Class.forName("dev.rebyte.runtime.Rebyte", false, null);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
