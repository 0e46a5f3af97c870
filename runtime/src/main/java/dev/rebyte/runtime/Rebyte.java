package dev.rebyte.runtime;

import java.lang.management.ManagementFactory;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
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
 *   <li>{@link #ownerLock(Object)} guards the hand-back of an owner-scoped buffer when its owner
 *       closes (see {@link SiteMode#OWNED}).</li>
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
  private static final Object[] OWNER_LOCKS = ownerLocks(64);
  private static volatile BytePool pool;
  private static volatile Supplier<? extends Map<String, Long>> decisionSource;
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

  /**
   * The lock rewritten code holds while it takes an owner-scoped buffer out of its field at the end
   * of the owner's release method ({@code close()}), so that two threads closing one owner at once
   * release its array once. One of 64 plain objects, chosen by the owner's identity hash: never the
   * owner itself (whose monitor is the application's), held for a field read and a field write only,
   * and no other lock is taken under it, so it cannot deadlock.
   */
  public static Object ownerLock(Object owner) {
    return OWNER_LOCKS[System.identityHashCode(owner) & (OWNER_LOCKS.length - 1)];
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
   * Lets the agent publish how many sites it decided not to rewrite, by decision name in lower
   * case ({@code rejected}, {@code skipped}). The runtime knows only the sites that were registered
   * with it; the agent owns the rest. The supplier is called when statistics are read (a metrics
   * scrape), never on an acquire or release; it must be cheap, thread-safe and not throw. A later
   * call replaces the source; {@code null} removes it. The runtime stays free of agent types: the
   * contract is JDK types only.
   */
  public static void publishSiteDecisions(Supplier<? extends Map<String, Long>> source) {
    decisionSource = source;
  }

  /**
   * Sites by decision ({@code rebyte.sites{decision}}): {@code pooled} (registered in exact or
   * rounded mode) and {@code observed} from the sites registered here, then whatever the agent
   * published ({@link #publishSiteDecisions}), typically {@code rejected} and {@code skipped}.
   * A site that is retransformed registers again, so after a retransformation {@code pooled} may
   * count one site twice; the agent's report is the exact list.
   */
  public static Map<String, Long> siteDecisions() {
    long[] byMode = SITES.countByMode();
    long observed = byMode[SiteMode.OBSERVED.ordinal()];
    long pooled = byMode[SiteMode.EXACT.ordinal()] + byMode[SiteMode.ROUNDED.ordinal()]
        + byMode[SiteMode.ALLOCATOR.ordinal()] + byMode[SiteMode.OWNED.ordinal()];
    Map<String, Long> out = new LinkedHashMap<>();
    out.put("pooled", pooled);
    out.put("observed", observed);
    Supplier<? extends Map<String, Long>> source = decisionSource;
    if (source != null) {
      try {
        Map<String, Long> published = source.get();
        if (published != null) {
          for (Map.Entry<String, Long> e : published.entrySet()) {
            if (e.getKey() != null && e.getValue() != null && !out.containsKey(e.getKey())) {
              out.put(e.getKey(), e.getValue());
            }
          }
        }
      } catch (RuntimeException e) {
        internalError(e);
      }
    }
    return Collections.unmodifiableMap(out);
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

  private static Object[] ownerLocks(int n) {
    Object[] locks = new Object[n];
    for (int i = 0; i < n; i++) {
      locks[i] = new Object();
    }
    return locks;
  }

  private static void internalError(RuntimeException e) {
    Log.once(INTERNAL_ERROR, "internal error, falling back to plain allocation", e);
  }
}
