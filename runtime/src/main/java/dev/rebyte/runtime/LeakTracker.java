package dev.rebyte.runtime;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Weak tracking of sampled acquires and leases until they are released; whatever the GC collects
 * first is a leak. Shared by every pool the process configures, so a release into a newer pool
 * still untracks an array acquired from an older one.
 */
final class LeakTracker {
  /*
   * Mechanism (Netty's ResourceLeakDetector, without its wrapper objects for arrays):
   *
   * sample   SAMPLED: ThreadLocalRandom (fields of Thread, not a ThreadLocal) says 1 in 128;
   *          PARANOID: always, with new Throwable() as the acquiring stack; DISABLED: never.
   * table    an open-addressed AtomicReferenceArray<Tracker> of TABLE_SIZE slots, allocated on
   *          first use; a tracker lives in one of the PROBE slots after identityHash(referent).
   *          Lookups scan all PROBE slots (no tombstones needed). When they are all taken the
   *          acquire is simply not tracked. The table keeps the trackers strongly reachable (a
   *          collected WeakReference is never enqueued) and the arrays only weakly.
   * untrack  release: if anything is tracked, scan the PROBE slots for a tracker whose referent is
   *          the array, clear it and mark it closed. No allocation, tracked or not.
   * expunge  polls the queue (on each sampled acquire, on snapshots, from the maintenance thread):
   *          a dequeued tracker that is not closed is a leak of its site, or of a lease.
   */
  private static final int TABLE_SIZE = 1 << 14;
  private static final int PROBE = 16;
  private static final int RECENT = 16;
  private static final int LOGGED = 5;

  private final SiteRegistry sites;
  private final ReferenceQueue<Object> queue = new ReferenceQueue<>();
  private final AtomicInteger tracked = new AtomicInteger();
  private final LongAdder leaseLeaks = new LongAdder();
  private volatile AtomicReferenceArray<Tracker> table;
  private final LeakRecord[] recent = new LeakRecord[RECENT]; // guarded by itself
  private long recorded; // guarded by recent

  LeakTracker(SiteRegistry sites) {
    this.sites = sites;
  }

  /** Whether this acquire is to be tracked at {@code level}. Allocation-free. */
  static boolean sample(LeakDetection level) {
    return level == LeakDetection.PARANOID
        || (level == LeakDetection.SAMPLED && (ThreadLocalRandom.current().nextInt() & 127) == 0);
  }

  /** Tracks {@code referent} (an array, or a lease); returns the tracker or null when full. */
  Tracker track(Object referent, int site, boolean lease, boolean withStack) {
    expunge();
    AtomicReferenceArray<Tracker> t = table();
    int hash = System.identityHashCode(referent);
    Tracker tracker = new Tracker(referent, queue, hash, site, lease,
        withStack ? new Throwable("acquired here") : null);
    for (int k = 0; k < PROBE; k++) {
      int i = (hash + k) & (TABLE_SIZE - 1);
      if (t.get(i) == null && t.compareAndSet(i, null, tracker)) {
        tracked.incrementAndGet();
        return tracker;
      }
    }
    return null;
  }

  /** Release path: stops tracking {@code array} if it is tracked. */
  void untrack(byte[] array, int identityHash) {
    AtomicReferenceArray<Tracker> t = table;
    if (t == null || tracked.get() == 0) {
      return;
    }
    for (int k = 0; k < PROBE; k++) {
      int i = (identityHash + k) & (TABLE_SIZE - 1);
      Tracker tracker = t.get(i);
      if (tracker != null && tracker.get() == array) {
        close(tracker);
        return;
      }
    }
  }

  /** A lease was closed. */
  void close(Tracker tracker) {
    tracker.closed = true;
    tracker.clear();
    remove(tracker);
  }

  /** Processes collected trackers; returns how many leaks were found. */
  int expunge() {
    int leaks = 0;
    Object ref;
    while ((ref = queue.poll()) != null) {
      Tracker tracker = (Tracker) ref;
      if (remove(tracker) && !tracker.closed) {
        leak(tracker);
        leaks++;
      }
    }
    return leaks;
  }

  /**
   * Waits up to {@code millis} for the GC to enqueue a collected tracker, then expunges. For tests
   * and tools: blocks on the reference queue, no polling.
   */
  int awaitLeaks(long millis) throws InterruptedException {
    Object ref = queue.remove(millis);
    int leaks = 0;
    if (ref != null) {
      Tracker tracker = (Tracker) ref;
      if (remove(tracker) && !tracker.closed) {
        leak(tracker);
        leaks++;
      }
    }
    return leaks + expunge();
  }

  private boolean remove(Tracker tracker) {
    AtomicReferenceArray<Tracker> t = table;
    for (int k = 0; t != null && k < PROBE; k++) {
      int i = (tracker.hash + k) & (TABLE_SIZE - 1);
      if (t.get(i) == tracker && t.compareAndSet(i, tracker, null)) {
        tracked.decrementAndGet();
        return true;
      }
    }
    return false;
  }

  private void leak(Tracker tracker) {
    Site site = sites.get(tracker.site);
    if (tracker.lease) {
      leaseLeaks.increment();
    } else {
      site.increment(Site.LEAKS);
    }
    LeakRecord record = new LeakRecord(tracker.lease ? LeakRecord.Kind.LEASE : LeakRecord.Kind.SITE,
        tracker.site, tracker.lease ? "lease"
            : site.mode == SiteMode.OWNED ? site.describe() + " (its owner was collected without being closed)"
            : site.describe(), tracker.stack);
    long n;
    synchronized (recent) {
      n = recorded++;
      recent[(int) (n % RECENT)] = record;
    }
    if (n < LOGGED) {
      System.err.println("[rebyte] leak: " + record
          + (n == LOGGED - 1 ? " (further leaks are only counted)" : ""));
    }
  }

  private AtomicReferenceArray<Tracker> table() {
    AtomicReferenceArray<Tracker> t = table;
    if (t == null) {
      synchronized (this) {
        t = table;
        if (t == null) {
          table = t = new AtomicReferenceArray<>(TABLE_SIZE);
        }
      }
    }
    return t;
  }

  long leaseLeaks() {
    return leaseLeaks.sum();
  }

  int tracked() {
    return tracked.get();
  }

  /** The last few leaks, oldest first. */
  List<LeakRecord> recent() {
    synchronized (recent) {
      List<LeakRecord> out = new ArrayList<>(RECENT);
      long first = Math.max(0, recorded - RECENT);
      for (long n = first; n < recorded; n++) {
        out.add(recent[(int) (n % RECENT)]);
      }
      return out;
    }
  }

  /** A weak reference to a tracked array or lease. */
  static final class Tracker extends WeakReference<Object> {
    final int hash;
    final int site;
    final boolean lease;
    final Throwable stack;
    volatile boolean closed;

    Tracker(Object referent, ReferenceQueue<Object> queue, int hash, int site, boolean lease,
        Throwable stack) {
      super(referent, queue);
      this.hash = hash;
      this.site = site;
      this.lease = lease;
      this.stack = stack;
    }
  }
}
