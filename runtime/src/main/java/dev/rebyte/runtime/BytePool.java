package dev.rebyte.runtime;

import java.util.Arrays;

/**
 * The bounded size-class pool behind {@link Rebyte}: serves arrays from its size classes and takes
 * them back, clears them, keeps them within the bounds, evicts and counts. One instance per
 * {@link Rebyte#configure} call ({@link CurrentPool}); sites and leak tracking outlive it. What it
 * counts is summed by {@link PoolCounters}; when it evicts is decided by {@link Maintenance} (idle)
 * and {@link GcPressure} (heap pressure).
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>Every element a borrower can read is zero when it gets the array.</li>
 *   <li>{@code retainedBytes() <= maxBytes} at every instant, and each class stays within its
 *       share: {@code min(maxBytes, max(maxBytes / 4, size))}, a quarter of the bound or one array
 *       of the class's largest size if that is more.</li>
 *   <li>A pooled array is in one slot at most, so it is never handed to two borrowers by the pool
 *       (a second release while it is pooled is rejected).</li>
 *   <li>Hits take no lock and allocate nothing (without poison, and when not leak-sampled).</li>
 *   <li>Nothing here throws except {@code new byte[n]}'s own exceptions.</li>
 * </ul>
 */
final class BytePool {
  /*
   * Acquire (length n, site s):
   *   class c = classOf(n); outside the classes: new byte[n], bypass (negative n throws there).
   *   c.retained == 0: miss without scanning. Else c.take(n, exact ? n : size(c), home stripe,
   *   the slot of the site's last pooled release).
   *   hit: un-reserve its bytes; in poison mode check the pattern, then zero the whole array.
   *   miss: new byte[exact ? n : size(c)].
   *   1 in 128 (SAMPLED) or every (PARANOID) acquire is then tracked weakly for leaks.
   *
   * Release (array a, written prefix w or whole capacity):
   *   untrack; class of a.length (exact-mode arrays of any length live in the class containing
   *   it); outside: dropped. Reserve a.length on the class, then on the total (CAS loops that
   *   refuse to cross the bound: drop + eviction reason=bound, or rejected if a is pooled already).
   *   Clear [0, w) (truncate on return: the rest is still zero from the previous hand-out), or in
   *   poison mode fill the whole array with the pattern. Offer to the class; on DUPLICATE (double
   *   release) rejected, on FULL dropped + eviction reason=bound, on CONTENDED dropped; all three
   *   give the reservation back. Clearing happens before the duplicate check, outside any lock:
   *   writing zeros (or the pattern) into an array that is pooled already changes nothing.
   *
   * Trimming: trim(now) evicts arrays pooled longer than idle-timeout (reason=idle); a GC that
   * leaves the old generation more than GcPressure.THRESHOLD full evicts half the pooled arrays of
   * every class (reason=pressure). The pool never evicts a pooled array to make room for another.
   *
   * Counters: per site and per class, LongAdder (hot, contended); retained bytes, RetainedBytes
   * (an AtomicLong: exact bound). Totals are sums over sites, computed when read (PoolCounters).
   */

  private final PoolConfig config;
  private final SizeClasses table;
  private final SizeClass[] classes;
  private final SiteRegistry sites;
  private final LeakTracker leaks;
  private final Clock clock;
  private final RetainedBytes retained; // exact total; enforces maxBytes
  private final long idleNanos;
  private final Poison poison; // null unless poison mode
  private final LeakDetection leakLevel;
  private volatile boolean retired;

  BytePool(PoolConfig config, long regionSize, Clock clock, SiteRegistry sites, LeakTracker leaks) {
    this.config = config;
    this.table = SizeClasses.create(config.minSize(), config.maxSize(), regionSize);
    this.sites = sites;
    this.leaks = leaks;
    this.clock = clock;
    long maxBytes = config.maxBytes();
    this.retained = new RetainedBytes(maxBytes);
    this.idleNanos = config.idleTimeout().toNanos();
    this.poison = config.poison() ? new Poison() : null;
    this.leakLevel = config.leakDetection();
    int cpus = Runtime.getRuntime().availableProcessors();
    // stripes: the power of two >= 2 * cpus, within [4, 64]; slots per class = 16 * stripes
    int stripes = Math.max(4, Math.min(64, Integer.highestOneBit(Math.max(1, 2 * cpus - 1)) * 2));
    this.classes = new SizeClass[table.count()];
    for (int i = 0; i < classes.length; i++) {
      int size = table.size(i);
      long share = Math.min(maxBytes, Math.max(maxBytes / 4, size));
      classes[i] = new SizeClass(i, table.lower(i), size, share, i == table.humongousIndex(),
          stripes);
    }
  }

  byte[] acquire(int length, int siteId, boolean atLeast) {
    Site site = sites.get(siteId);
    byte[] a = take(length, site, atLeast);
    // ALLOCATOR sites: callers may let the array escape on purpose; that is not a leak (rule 7)
    if (leakLevel != LeakDetection.DISABLED && site.mode != SiteMode.ALLOCATOR
        && LeakTracker.sample(leakLevel)) {
      leaks.track(a, site.id, false, leakLevel == LeakDetection.PARANOID);
    }
    return a;
  }

  private byte[] take(int length, Site site, boolean atLeast) {
    int ci = table.classOf(length);
    if (ci < 0) {
      byte[] a = new byte[length]; // NegativeArraySizeException, OutOfMemoryError: as before
      site.increment(Site.BYPASSES);
      return a;
    }
    SizeClass c = classes[ci];
    byte[] a = c.retained.get() == 0 ? null
        : c.take(length, atLeast ? c.size : length, home(), site.slotHint);
    if (a != null) {
      c.retained.subtract(a.length);
      retained.subtract(a.length);
      if (poison != null) {
        poison.checkAndZero(a, c);
      }
      c.increment(SizeClass.HITS);
      c.add(SizeClass.BYTES_SAVED, length);
      site.increment(Site.HITS);
      site.add(Site.BYTES_SAVED, length);
      return a;
    }
    a = new byte[atLeast ? c.size : length];
    c.increment(SizeClass.MISSES);
    site.increment(Site.MISSES);
    return a;
  }

  /** Releases {@code a}; the borrower wrote at most {@code [0, written)}, or all of it if negative. */
  void release(byte[] a, int written, int siteId) {
    if (a == null) {
      return;
    }
    Site site = sites.get(siteId);
    int hash = System.identityHashCode(a);
    leaks.untrack(a, hash);
    int cap = a.length;
    int ci = retired ? -1 : table.classOf(cap);
    if (ci < 0) {
      site.increment(Site.DROPPED);
      return;
    }
    SizeClass c = classes[ci];
    if (!reserve(c, cap)) {
      if (c.contains(a, hash)) {
        c.increment(SizeClass.REJECTED);
        site.increment(Site.REJECTED);
      } else {
        c.increment(SizeClass.DROPPED);
        c.increment(SizeClass.EVICT_BOUND);
        site.increment(Site.DROPPED);
      }
      return;
    }
    if (poison != null) {
      Poison.fill(a);
    } else {
      Arrays.fill(a, 0, written < 0 || written > cap ? cap : written, (byte) 0);
    }
    int result = c.offer(a, hash, clock.nanos());
    if (result >= 0) {
      if (site.slotHint != result) {
        site.slotHint = result; // racy by design: only where the next acquire looks first
      }
      c.increment(SizeClass.POOLED);
      site.increment(Site.POOLED);
      return;
    }
    c.retained.subtract(cap);
    retained.subtract(cap);
    if (result == SizeClass.OFFER_DUPLICATE) {
      c.increment(SizeClass.REJECTED);
      site.increment(Site.REJECTED);
    } else {
      c.increment(SizeClass.DROPPED);
      if (result == SizeClass.OFFER_FULL) {
        c.increment(SizeClass.EVICT_BOUND);
      }
      site.increment(Site.DROPPED);
    }
  }

  /** Reserves {@code cap} bytes on the class share, then on the total; false if either is full. */
  private boolean reserve(SizeClass c, int cap) {
    if (!c.retained.tryAdd(cap)) {
      return false;
    }
    if (retained.tryAdd(cap)) {
      return true;
    }
    c.retained.subtract(cap);
    return false;
  }

  /** Home stripe of the calling thread: a multiplicative hash of its id. */
  private static int home() {
    return (int) ((Thread.currentThread().getId() * 0x9E3779B97F4A7C15L) >>> 40);
  }

  void observe(int length, int siteId) {
    if (length >= 0) {
      Site site = sites.get(siteId);
      site.increment(Site.OBSERVED);
      site.add(Site.OBSERVED_BYTES, length);
    }
  }

  Lease lease(int length) {
    byte[] a = take(length, sites.unknown(), false);
    Lease lease = new Lease(this, a);
    if (leakLevel != LeakDetection.DISABLED && LeakTracker.sample(leakLevel)) {
      lease.tracker = leaks.track(lease, Site.UNKNOWN_ID, true,
          leakLevel == LeakDetection.PARANOID);
    }
    return lease;
  }

  void closeLease(Lease lease, byte[] a) {
    LeakTracker.Tracker t = lease.tracker;
    if (t != null) {
      leaks.close(t);
    }
    release(a, -1, Site.UNKNOWN_ID);
  }

  /** Evicts arrays idle for longer than the idle timeout at {@code now} (nanoseconds). */
  void trim(long now) {
    for (SizeClass c : classes) {
      retained.subtract(c.evictIdle(now, idleNanos));
    }
  }

  /** {@link #trim(long)} at the pool clock's now. */
  void trim() {
    trim(clock.nanos());
  }

  /** Evicts half the pooled arrays of every class, rounded up (heap pressure, see {@link GcPressure}). */
  void evictHalf() {
    for (SizeClass c : classes) {
      retained.subtract(c.evictHalf());
    }
  }

  /** This pool was replaced: drop what it retains, and drop what is released to it later. */
  void retire() {
    retired = true;
    for (SizeClass c : classes) {
      retained.subtract(c.evictAll());
    }
  }

  long retainedBytes() {
    return retained.get();
  }

  long maxBytes() {
    return retained.max();
  }

  PoolConfig config() {
    return config;
  }

  SizeClasses table() {
    return table;
  }

  SiteRegistry sites() {
    return sites;
  }

  LeakTracker leaks() {
    return leaks;
  }

  SizeClass sizeClass(int index) {
    return classes[index];
  }

  /** A snapshot of the statistics ({@link PoolCounters#snapshot}). */
  PoolStats stats() {
    return PoolCounters.snapshot(this);
  }

  /** Nanosecond time source, injectable for tests. */
  interface Clock {
    long nanos();

    Clock SYSTEM = new SystemClock();
  }

  private static final class SystemClock implements Clock {
    @Override
    public long nanos() {
      return System.nanoTime();
    }
  }
}
