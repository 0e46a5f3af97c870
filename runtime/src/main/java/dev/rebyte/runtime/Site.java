package dev.rebyte.runtime;

import java.util.concurrent.atomic.LongAdder;

/**
 * One registered allocation site and its counters. Ids are dense from 0; the "unknown" site
 * ({@link #UNKNOWN_ID}) collects calls with ids that were never registered, and leases.
 */
final class Site {
  static final int UNKNOWN_ID = -1;

  // Counter indices. Every counter is a LongAdder: a hot site is hit from many threads at once.
  static final int HITS = 0;
  static final int MISSES = 1;
  static final int BYPASSES = 2;
  static final int POOLED = 3;
  static final int DROPPED = 4;
  static final int REJECTED = 5;
  static final int BYTES_SAVED = 6;
  static final int LEAKS = 7;
  static final int OBSERVED = 8;
  static final int OBSERVED_BYTES = 9;
  static final int COUNTERS = 10;

  final int id;
  final String className;
  final String methodName;
  final String methodDescriptor;
  final int line;
  final int constantLength;
  final SiteMode mode;
  private final LongAdder[] counters = new LongAdder[COUNTERS];
  /**
   * Slot of this site's last pooled release, probed first by its next acquire. Plain and racy on
   * purpose: a stale or foreign value only costs the scan it would have saved; written only when
   * it changes, so a thread looping on one array does not write it at all.
   */
  int slotHint;

  Site(int id, String className, String methodName, String methodDescriptor, int line,
      int constantLength, SiteMode mode) {
    this.id = id;
    this.className = className == null ? "?" : className;
    this.methodName = methodName == null ? "?" : methodName;
    this.methodDescriptor = methodDescriptor == null ? "" : methodDescriptor;
    this.line = line;
    this.constantLength = constantLength;
    this.mode = mode == null ? SiteMode.EXACT : mode;
    for (int i = 0; i < COUNTERS; i++) {
      counters[i] = new LongAdder();
    }
  }

  static Site unknown() {
    return new Site(UNKNOWN_ID, "<unknown>", "<unknown>", "", -1, -1, SiteMode.EXACT);
  }

  void increment(int counter) {
    counters[counter].increment();
  }

  void add(int counter, long value) {
    counters[counter].add(value);
  }

  long get(int counter) {
    return counters[counter].sum();
  }

  /** Acquired and not (yet) released: hits + misses + bypasses - pooled - dropped. */
  long outstanding() {
    return get(HITS) + get(MISSES) + get(BYPASSES) - get(POOLED) - get(DROPPED);
  }

  SiteStats snapshot() {
    long[] c = new long[COUNTERS];
    for (int i = 0; i < COUNTERS; i++) {
      c[i] = counters[i].sum();
    }
    return new SiteStats(this, c);
  }

  /** {@code com.acme.Foo.read(I)V:42}, for logs and leak records. */
  String describe() {
    return id == UNKNOWN_ID ? "<unknown site>"
        : className.replace('/', '.') + "." + methodName + methodDescriptor
            + (line >= 0 ? ":" + line : "");
  }
}
