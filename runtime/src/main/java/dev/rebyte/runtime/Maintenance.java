package dev.rebyte.runtime;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one background thread, {@code rebyte-maintenance} (daemon, no context class loader, no
 * inherited thread locals): registers the MBean and the GC-pressure listener, then trims idle
 * arrays and processes leak notifications every {@link #trimPeriodMillis}.
 *
 * <p>JMX is touched only here, never synchronously in {@link Rebyte#configure}: creating the
 * platform MBean server inside premain breaks applications that install their own
 * {@code MBeanServerBuilder} later. Failures are logged once and otherwise ignored.
 */
final class Maintenance implements Runnable {
  private static final AtomicBoolean STARTED = new AtomicBoolean();
  private static final AtomicBoolean MBEAN_FAILED = new AtomicBoolean();
  private static final AtomicBoolean GC_FAILED = new AtomicBoolean();
  private static final AtomicBoolean TRIM_FAILED = new AtomicBoolean();

  private Maintenance() {}

  /** Starts the thread the first time; later calls do nothing. */
  static void start() {
    if (!STARTED.compareAndSet(false, true)) {
      return;
    }
    try {
      Thread t = new Thread(null, new Maintenance(), "rebyte-maintenance", 0, false);
      t.setDaemon(true);
      t.setContextClassLoader(null); // never pin an application class loader
      t.start();
    } catch (RuntimeException | Error e) { // e.g. a SecurityManager or thread limit: no trimming
      Log.once(new AtomicBoolean(), "cannot start the maintenance thread, no idle trimming", e);
    }
  }

  @Override
  public void run() {
    try {
      PoolMBean.register();
    } catch (RuntimeException | LinkageError e) {
      Log.once(MBEAN_FAILED, "JMX: " + RebytePoolMBean.OBJECT_NAME + " not registered", e);
    }
    try {
      GcPressure.install();
    } catch (RuntimeException | LinkageError e) {
      Log.once(GC_FAILED, "no GC notifications, no trimming under heap pressure", e);
    }
    for (;;) {
      try {
        Thread.sleep(trimPeriodMillis(Rebyte.pool()));
      } catch (InterruptedException e) {
        return;
      }
      try {
        BytePool pool = Rebyte.pool();
        pool.trim();
        pool.leaks().expunge();
      } catch (RuntimeException e) {
        Log.once(TRIM_FAILED, "trimming failed", e);
      }
    }
  }

  /** How often to call {@link BytePool#trim()} on {@code pool}: idle-timeout/2 within [50 ms, 5 s]. */
  static long trimPeriodMillis(BytePool pool) {
    return Math.max(50, Math.min(5000, pool.config().idleTimeout().toNanos() / 2_000_000));
  }
}
