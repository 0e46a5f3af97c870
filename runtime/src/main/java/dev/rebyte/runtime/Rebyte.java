package dev.rebyte.runtime;

import java.lang.management.ManagementFactory;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * The one entry point of the runtime: what rewritten code calls, what the agent configures, and
 * where statistics are read.
 *
 * <h2>Contract for rewritten code</h2>
 * <ul>
 *   <li>{@link #acquire(int, int)} replaces {@code NEWARRAY T_BYTE} with the same stack effect once
 *       the site id is pushed ({@code // stack: length, site -> byte[]}): it returns an array of
 *       exactly {@code length} zero bytes, throws {@link NegativeArraySizeException} for a negative
 *       length, and falls back to {@code new byte[length]} for lengths the pool does not serve.</li>
 *   <li>{@link #acquireAtLeast(int, int)} (rounded mode) returns a zeroed array of the class of
 *       {@code length}, capacity at least {@code length}.</li>
 *   <li>{@link #release(byte[], int)} hands an array back at a point where the analysis proved it
 *       dead and clears its whole capacity; {@link #release(byte[], int, int)} clears only the
 *       prefix the borrower could write. {@code null} is ignored.</li>
 *   <li>{@link #registerSite} is called by the agent at transform time; the returned id is
 *       embedded as a constant in the rewritten code. Ids never registered (-1, garbage) are
 *       counted in an "unknown site" bucket.</li>
 * </ul>
 * None of these methods ever throws anything but what {@code new byte[n]} would throw: an internal
 * error is logged once and the call falls back to {@code new byte[n]} (acquire) or to dropping the
 * array (release). Before {@link #configure}, the first call creates a pool with
 * {@link PoolConfig#defaults()}.
 *
 * <p>The runtime has no dependencies and sits on the bootstrap class path. It uses no lambdas
 * (no {@code invokedynamic} bootstrap in premain) and no thread locals. Its classes other than this
 * one, {@link PoolConfig}, {@link Lease}, the statistics views and {@link RebytePoolMBean} are
 * package-private.
 */
public final class Rebyte {
  private static final Object LOCK = new Object();
  private static final Object MBEAN_LOCK = new Object();
  private static final SiteRegistry SITES = new SiteRegistry();
  private static final LeakTracker LEAKS = new LeakTracker(SITES);
  private static final AtomicBoolean INTERNAL_ERROR = new AtomicBoolean();
  private static volatile BytePool pool;
  private static boolean mbeanRegistered; // guarded by MBEAN_LOCK

  private Rebyte() {}

  /**
   * Installs the pool's settings. Called once by the agent before any rewritten code runs; a later
   * call replaces the pool (its retained arrays are dropped; acquire, release and leak statistics
   * are kept, size-class statistics start over). Starts the maintenance thread, which registers
   * the MBean and the GC listener asynchronously.
   */
  public static void configure(PoolConfig config) {
    Objects.requireNonNull(config, "config");
    BytePool next = new BytePool(config, SizeClasses.jvmRegionSize(), BytePool.Clock.SYSTEM, SITES,
        LEAKS);
    BytePool old;
    synchronized (LOCK) {
      old = pool;
      pool = next;
    }
    if (old != null) {
      old.retire();
    }
    Log.info("pool " + config + " " + next.table());
    Maintenance.start();
  }

  /** The current pool, created with the defaults on first use. */
  static BytePool pool() {
    BytePool p = pool;
    return p != null ? p : defaultPool();
  }

  private static BytePool defaultPool() {
    synchronized (LOCK) {
      if (pool == null) {
        configure(PoolConfig.defaults());
      }
      return pool;
    }
  }

  /** Exact-mode acquire: an array of exactly {@code length} zero bytes. */
  public static byte[] acquire(int length, int site) {
    BytePool p = pool;
    try {
      return (p != null ? p : defaultPool()).acquire(length, site, false);
    } catch (NegativeArraySizeException e) {
      throw e;
    } catch (RuntimeException e) {
      internalError(e);
      return new byte[length];
    }
  }

  /** Rounded-mode acquire: a zeroed array of at least {@code length} bytes from the class of {@code length}. */
  public static byte[] acquireAtLeast(int length, int site) {
    BytePool p = pool;
    try {
      return (p != null ? p : defaultPool()).acquire(length, site, true);
    } catch (NegativeArraySizeException e) {
      throw e;
    } catch (RuntimeException e) {
      internalError(e);
      return new byte[length];
    }
  }

  /** Releases an array whose whole capacity the borrower may have written. */
  public static void release(byte[] array, int site) {
    release(array, -1, site);
  }

  /**
   * Releases an array of which the borrower could have written only {@code [0, length)}: only
   * that prefix is cleared (truncate on return). A negative {@code length} clears everything.
   */
  public static void release(byte[] array, int length, int site) {
    if (array == null) {
      return;
    }
    try {
      pool().release(array, length, site);
    } catch (RuntimeException e) {
      internalError(e);
    }
  }

  /** Observe mode: counts what {@link #acquire} would have done (per site), allocates nothing. */
  public static void observe(int length, int site) {
    try {
      pool().observe(length, site);
    } catch (RuntimeException e) {
      internalError(e);
    }
  }

  /**
   * Registers an allocation site and returns its id (dense, from 0). Thread-safe.
   *
   * @param constantLength the length when it is a compile-time constant, else -1
   */
  public static int registerSite(
      String className, String methodName, String methodDescriptor, int line, int constantLength,
      SiteMode mode) {
    return SITES.register(className, methodName, methodDescriptor, line, constantLength, mode);
  }

  /** A read-only snapshot of the statistics (also processes pending leak notifications). */
  public static PoolStats stats() {
    return pool().stats();
  }

  /**
   * Borrows an array of exactly {@code length} zero bytes explicitly; close the lease to give it
   * back. @throws NegativeArraySizeException if {@code length} is negative
   */
  public static Lease lease(int length) {
    return pool().lease(length);
  }

  /**
   * Registers {@code dev.rebyte:type=Pool} ({@link RebytePoolMBean}) on the platform MBean server
   * now, instead of waiting for the maintenance thread. Idempotent.
   *
   * @throws IllegalStateException if JMX refuses the registration
   */
  public static void registerMBean() {
    synchronized (MBEAN_LOCK) {
      if (mbeanRegistered) {
        return;
      }
      try {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(RebytePoolMBean.OBJECT_NAME);
        if (!server.isRegistered(name)) {
          server.registerMBean(new StandardMBean(new PoolMBean(), RebytePoolMBean.class), name);
        }
      } catch (InstanceAlreadyExistsException e) {
        // registered concurrently (e.g. by a copy of the runtime in another class loader)
      } catch (JMException e) {
        throw new IllegalStateException("cannot register " + RebytePoolMBean.OBJECT_NAME, e);
      }
      mbeanRegistered = true;
    }
  }

  private static void internalError(RuntimeException e) {
    Log.once(INTERNAL_ERROR, "internal error, falling back to plain allocation", e);
  }
}
