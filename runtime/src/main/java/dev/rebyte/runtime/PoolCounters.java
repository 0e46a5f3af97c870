package dev.rebyte.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * Sums a pool's counters for the readers: one total at a time for {@link PoolMBean}, all of them at
 * once into a {@link PoolStats} snapshot. Reads only; the pool, its classes and its sites count.
 */
final class PoolCounters {
  /*
   * Nothing is summed on the hot paths: a site or class counter is a LongAdder, added to where the
   * event happens and summed here when read. Counters are read one after the other while the pool
   * runs, so totals taken under load may disagree by the operations in flight (see PoolStats).
   */
  private PoolCounters() {}

  /** One {@link SizeClass} counter summed over the pool's classes. */
  static long classTotal(BytePool pool, int counter) {
    long sum = 0;
    for (int i = 0; i < pool.table().count(); i++) {
      sum += pool.sizeClass(i).get(counter);
    }
    return sum;
  }

  /** Arrays pooled right now over all classes (a scan of every slot). */
  static long retainedBuffers(BytePool pool) {
    long n = 0;
    for (int i = 0; i < pool.table().count(); i++) {
      n += pool.sizeClass(i).buffers();
    }
    return n;
  }

  /** Every statistic at once; processes pending leak notifications first. */
  static PoolStats snapshot(BytePool pool) {
    SiteRegistry sites = pool.sites();
    LeakTracker leaks = pool.leaks();
    leaks.expunge();
    long[] totals = new long[Site.COUNTERS];
    for (int k = 0; k < Site.COUNTERS; k++) {
      totals[k] = sites.sum(k);
    }
    int count = pool.table().count();
    long[] classTotals = new long[SizeClass.COUNTERS];
    List<SizeClassStats> classStats = new ArrayList<>(count);
    long buffers = 0;
    for (int i = 0; i < count; i++) {
      SizeClass c = pool.sizeClass(i);
      for (int k = 0; k < SizeClass.COUNTERS; k++) {
        classTotals[k] += c.get(k);
      }
      SizeClassStats s = c.snapshot();
      buffers += s.retainedBuffers();
      classStats.add(s);
    }
    return new PoolStats(totals, sites.outstanding(), sites.escaped(), leaks.leaseLeaks(),
        pool.retainedBytes(), buffers, pool.maxBytes(), classTotals, sites.snapshot(),
        sites.unknown().snapshot(), classStats, leaks.recent(), configuration(pool));
  }

  /** The pool's effective configuration and size-class table, one line. */
  static String configuration(BytePool pool) {
    return pool.config() + " " + pool.table();
  }
}
