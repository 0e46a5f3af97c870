package dev.rebyte.runtime;

import java.util.Map;
import java.util.function.Supplier;

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
  /*
   * A façade only: every method forwards, to one of the process's instances below or to
   * PoolMBean.register; the logic is there, where unit tests reach it with instances of their own.
   * CURRENT holds the pool (and the sites and leak tracking that outlive it), CALLS keeps what
   * rewritten code calls to new byte[n]'s exceptions, OWNER_LOCKS and DECISIONS are process-wide
   * and never replaced by configure.
   */
  private static final CurrentPool CURRENT = new CurrentPool(BytePool.Clock.SYSTEM, true);
  private static final FailSafe CALLS = new FailSafe(CURRENT);
  private static final OwnerLocks OWNER_LOCKS = new OwnerLocks(64);
  private static final SiteDecisions DECISIONS = new SiteDecisions(CURRENT.sites(), CALLS);

  private Rebyte() {}

  /**
   * Installs the pool's settings. Called once by the agent before any rewritten code runs; a later
   * call replaces the pool (its retained arrays are dropped; acquire, release and leak statistics
   * are kept, size-class statistics start over). Starts the maintenance thread, which registers
   * the MBean and the GC listener asynchronously.
   */
  public static void configure(PoolConfig config) {
    CURRENT.configure(config);
  }

  /** The current pool, created with the defaults on first use. */
  static BytePool pool() {
    return CURRENT.get();
  }

  /** Exact-mode acquire: an array of exactly {@code length} zero bytes. */
  public static byte[] acquire(int length, int site) {
    return CALLS.acquire(length, site, false);
  }

  /** Rounded-mode acquire: a zeroed array of at least {@code length} bytes from the class of {@code length}. */
  public static byte[] acquireAtLeast(int length, int site) {
    return CALLS.acquire(length, site, true);
  }

  /** Releases an array whose whole capacity the borrower may have written. */
  public static void release(byte[] array, int site) {
    CALLS.release(array, -1, site);
  }

  /**
   * Releases an array of which the borrower could have written only {@code [0, length)}: only
   * that prefix is cleared (truncate on return). A negative {@code length} clears everything.
   */
  public static void release(byte[] array, int length, int site) {
    CALLS.release(array, length, site);
  }

  /**
   * The lock rewritten code holds while it takes an owner-scoped buffer out of its field at the end
   * of the owner's release method ({@code close()}), so that two threads closing one owner at once
   * release its array once. One of 64 plain objects, chosen by the owner's identity hash: never the
   * owner itself (whose monitor is the application's), held for a field read and a field write only,
   * and no other lock is taken under it, so it cannot deadlock.
   */
  public static Object ownerLock(Object owner) {
    return OWNER_LOCKS.of(owner);
  }

  /** Observe mode: counts what {@link #acquire} would have done (per site), allocates nothing. */
  public static void observe(int length, int site) {
    CALLS.observe(length, site);
  }

  /**
   * Registers an allocation site and returns its id (dense, from 0). Thread-safe.
   *
   * @param constantLength the length when it is a compile-time constant, else -1
   */
  public static int registerSite(
      String className, String methodName, String methodDescriptor, int line, int constantLength,
      SiteMode mode) {
    return CURRENT.sites().register(className, methodName, methodDescriptor, line, constantLength,
        mode);
  }

  /** A read-only snapshot of the statistics (also processes pending leak notifications). */
  public static PoolStats stats() {
    return CURRENT.get().stats();
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
    DECISIONS.publish(source);
  }

  /**
   * Sites by decision ({@code rebyte.sites{decision}}): {@code pooled} (registered in exact or
   * rounded mode) and {@code observed} from the sites registered here, then whatever the agent
   * published ({@link #publishSiteDecisions}), typically {@code rejected} and {@code skipped}.
   * A site that is retransformed registers again, so after a retransformation {@code pooled} may
   * count one site twice; the agent's report is the exact list.
   */
  public static Map<String, Long> siteDecisions() {
    return DECISIONS.count();
  }

  /**
   * Borrows an array of exactly {@code length} zero bytes explicitly; close the lease to give it
   * back. @throws NegativeArraySizeException if {@code length} is negative
   */
  public static Lease lease(int length) {
    return CURRENT.get().lease(length);
  }

  /**
   * Registers {@code dev.rebyte:type=Pool} ({@link RebytePoolMBean}) on the platform MBean server
   * now, instead of waiting for the maintenance thread. Idempotent.
   *
   * @throws IllegalStateException if JMX refuses the registration
   */
  public static void registerMBean() {
    PoolMBean.register();
  }
}
