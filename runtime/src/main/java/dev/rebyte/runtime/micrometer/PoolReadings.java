package dev.rebyte.runtime.micrometer;

import dev.rebyte.runtime.PoolStats;
import dev.rebyte.runtime.Rebyte;
import dev.rebyte.runtime.SiteStats;
import dev.rebyte.runtime.SizeClassStats;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the meter functions read: one {@link Rebyte#stats()} snapshot, reused for {@code ttlNanos}
 * so that one scrape of forty meters takes one snapshot, not forty.
 *
 * <p>Micrometer holds gauge and function-counter objects weakly: whoever registers functions on an
 * instance of this class must keep it reachable ({@link RebyteMetrics} uses a static instance).
 */
final class PoolReadings {
  /** The instance the public binders share; static, so it lives as long as the binder class. */
  static final PoolReadings SHARED = new PoolReadings(200_000_000L);

  private final long ttlNanos;
  private Snapshot current; // guarded by this
  private long previousHits; // guarded by this
  private long previousMisses; // guarded by this

  PoolReadings(long ttlNanos) {
    this.ttlNanos = ttlNanos;
  }

  synchronized Snapshot get() {
    long now = System.nanoTime();
    if (current == null || now - current.takenAt >= ttlNanos) {
      current = new Snapshot(Rebyte.stats(), Rebyte.siteDecisions(), now);
      // Acquires of pools replaced by Rebyte.configure: process totals minus the current pool's
      // classes. Site totals are read before the classes and a hit counts its class first, so the
      // difference can only fall short by operations in flight; max() keeps the series monotonic.
      long classHits = 0;
      long classMisses = 0;
      for (SizeClassStats c : current.stats.sizeClasses()) {
        classHits += c.hits();
        classMisses += c.misses();
      }
      previousHits = Math.max(previousHits, current.stats.hits() - classHits);
      previousMisses = Math.max(previousMisses, current.stats.misses() - classMisses);
    }
    return current;
  }

  PoolStats stats() {
    return get().stats;
  }

  double classCounter(int size, boolean hits) {
    SizeClassStats c = get().classes.get(size);
    return c == null ? 0 : hits ? c.hits() : c.misses();
  }

  /** Hits or misses of pools that {@link Rebyte#configure} replaced since the process started. */
  synchronized double previousPools(boolean hits) {
    get();
    return hits ? previousHits : previousMisses;
  }

  double sites(String decision) {
    Long n = get().decisions.get(decision);
    return n == null ? 0 : n;
  }

  /** The site with this id, or null if the pool has none (it never forgets sites, so: not yet). */
  SiteStats site(int id) {
    List<SiteStats> sites = get().stats.sites();
    return id < sites.size() ? sites.get(id) : null;
  }

  static final class Snapshot {
    final PoolStats stats;
    final Map<String, Long> decisions;
    final Map<Integer, SizeClassStats> classes;
    final long takenAt;

    Snapshot(PoolStats stats, Map<String, Long> decisions, long takenAt) {
      this.stats = stats;
      this.decisions = decisions == null ? Collections.<String, Long>emptyMap() : decisions;
      Map<Integer, SizeClassStats> bySize = new HashMap<>();
      for (SizeClassStats c : stats.sizeClasses()) {
        bySize.put(c.size(), c);
      }
      this.classes = bySize;
      this.takenAt = takenAt;
    }
  }
}
