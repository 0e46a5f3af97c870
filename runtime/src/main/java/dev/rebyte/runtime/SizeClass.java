package dev.rebyte.runtime;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The retained arrays of one size class: a fixed array of slots in stripes, with its counters.
 * Holds arrays only; byte clearing, bounds on the total and statistics by site are the pool's.
 */
final class SizeClass {
  /*
   * Mechanism (after Jackson PR #1687's striped slots, with .NET's per-core stacks in mind):
   *
   * slots     stripes * DEPTH references, DEPTH = 16 = about one cache line of compressed oops.
   * take      (hit path) scans from the caller's home stripe (thread id hash) over all slots and
   *           claims the first array whose length fits with compareAndSet(i, a, null). No lock,
   *           no allocation; a lost CAS just moves on to the next slot.
   * offer     (release path) puts the array into the stripe chosen by its identity hash, under a
   *           per-stripe try-lock (a CAS on a padded int, bounded spin, never blocks): the stripe
   *           is scanned for the same array (double release: DUPLICATE) and for a free slot.
   *           Because an array can only ever be inserted into its own stripe and insertion is
   *           serialised per stripe, two threads releasing the same array concurrently cannot both
   *           insert it: the second one finds it (DUPLICATE). Only offer fills slots; take and
   *           evict only empty them, so a free slot seen under the lock stays free.
   * stamps    stamps[i] is written (plain) before slots[i] is published (volatile), so whoever
   *           reads the array from slots[i] sees a stamp at least as new as its insertion. Idle
   *           eviction may race with reinsertion (ABA) and evict a fresh array: only an eviction.
   * retained  exact bytes of this class, reserved by the pool before offer and released after a
   *           successful take or evict: always >= the bytes actually in slots, never above maxBytes.
   *
   * Not detected: a second release after the array was borrowed again (it is indistinguishable
   * from the new borrower's own release); poison mode makes its effect visible.
   */
  static final int DEPTH = 16;
  private static final int LOCK_STRIDE = 16; // ints between two stripe locks: one cache line
  private static final int SPINS = 64;

  // offer results; a pooled array returns its slot index (>= 0) instead
  static final int OFFER_DUPLICATE = -1;
  static final int OFFER_FULL = -2;
  static final int OFFER_CONTENDED = -3;

  // Counter indices. LongAdder: hits, misses and releases of one class come from many threads.
  static final int HITS = 0;
  static final int MISSES = 1;
  static final int BYTES_SAVED = 2;
  static final int POOLED = 3;
  static final int DROPPED = 4;
  static final int REJECTED = 5;
  static final int EVICT_IDLE = 6;
  static final int EVICT_PRESSURE = 7;
  static final int EVICT_BOUND = 8;
  static final int USE_AFTER_RELEASE = 9;
  static final int COUNTERS = 10;

  final int index;
  final int lower;
  final int size;
  final long maxBytes;
  final boolean humongousEdge;
  /** Exact retained bytes, bounded by {@link #maxBytes} (this class's share of the pool's bound). */
  final RetainedBytes retained;

  private final AtomicReferenceArray<byte[]> slots;
  private final long[] stamps;
  private final AtomicIntegerArray locks;
  private final int stripeMask;
  private final LongAdder[] counters = new LongAdder[COUNTERS];

  /** {@code stripes} must be a power of two. */
  SizeClass(int index, int lower, int size, long maxBytes, boolean humongousEdge, int stripes) {
    this.index = index;
    this.lower = lower;
    this.size = size;
    this.maxBytes = maxBytes;
    this.humongousEdge = humongousEdge;
    this.retained = new RetainedBytes(maxBytes);
    this.slots = new AtomicReferenceArray<>(stripes * DEPTH);
    this.stamps = new long[stripes * DEPTH];
    this.locks = new AtomicIntegerArray(stripes * LOCK_STRIDE);
    this.stripeMask = stripes - 1;
    for (int i = 0; i < COUNTERS; i++) {
      counters[i] = new LongAdder();
    }
  }

  /**
   * Claims a pooled array with {@code lo <= length <= hi}, or returns null. {@code hint} is a slot
   * index to probe first (any int: it is masked).
   */
  byte[] take(int lo, int hi, int home, int hint) {
    AtomicReferenceArray<byte[]> s = slots;
    int n = s.length();
    int h = hint & (n - 1);
    byte[] first = s.get(h);
    if (first != null && first.length >= lo && first.length <= hi
        && s.compareAndSet(h, first, null)) {
      return first;
    }
    int start = (home & stripeMask) * DEPTH;
    for (int k = 0; k < n; k++) {
      int i = (start + k) & (n - 1);
      byte[] a = s.get(i);
      if (a != null && a.length >= lo && a.length <= hi && s.compareAndSet(i, a, null)) {
        return a;
      }
    }
    return null;
  }

  /**
   * Inserts {@code a} (already reserved and cleared) into its identity stripe; returns its slot
   * index, or one of the negative {@code OFFER_*} codes.
   */
  int offer(byte[] a, int identityHash, long now) {
    int stripe = stripeOf(identityHash);
    int lock = stripe * LOCK_STRIDE;
    if (!tryLock(lock)) {
      return OFFER_CONTENDED;
    }
    try {
      int base = stripe * DEPTH;
      int free = -1;
      for (int i = base; i < base + DEPTH; i++) {
        byte[] x = slots.get(i);
        if (x == a) {
          return OFFER_DUPLICATE;
        }
        if (x == null && free < 0) {
          free = i;
        }
      }
      if (free < 0) {
        return OFFER_FULL;
      }
      stamps[free] = now;
      slots.set(free, a);
      return free;
    } finally {
      locks.set(lock, 0);
    }
  }

  /** Lock-free check whether {@code a} is pooled here right now (for releases over the bound). */
  boolean contains(byte[] a, int identityHash) {
    int base = stripeOf(identityHash) * DEPTH;
    for (int i = base; i < base + DEPTH; i++) {
      if (slots.get(i) == a) {
        return true;
      }
    }
    return false;
  }

  private int stripeOf(int identityHash) {
    return (identityHash ^ (identityHash >>> 16)) & stripeMask;
  }

  private boolean tryLock(int lock) {
    for (int spin = 0; spin < SPINS; spin++) {
      if (locks.get(lock) == 0 && locks.compareAndSet(lock, 0, 1)) {
        return true;
      }
      Thread.onSpinWait();
    }
    return false;
  }

  /** Evicts arrays pooled for longer than {@code idleNanos}; returns the bytes evicted. */
  long evictIdle(long now, long idleNanos) {
    long bytes = 0;
    for (int i = 0; i < slots.length(); i++) {
      byte[] a = slots.get(i);
      if (a != null && now - stamps[i] > idleNanos && slots.compareAndSet(i, a, null)) {
        bytes += a.length;
        counters[EVICT_IDLE].increment();
      }
    }
    retained.subtract(bytes);
    return bytes;
  }

  /** Evicts half the pooled arrays, rounded up (heap pressure); returns the bytes evicted. */
  long evictHalf() {
    int target = (buffers() + 1) / 2;
    long bytes = 0;
    for (int i = 0; i < slots.length() && target > 0; i++) {
      byte[] a = slots.get(i);
      if (a != null && slots.compareAndSet(i, a, null)) {
        bytes += a.length;
        target--;
        counters[EVICT_PRESSURE].increment();
      }
    }
    retained.subtract(bytes);
    return bytes;
  }

  /** Empties the class without counting (the pool is being replaced); returns the bytes. */
  long evictAll() {
    long bytes = 0;
    for (int i = 0; i < slots.length(); i++) {
      byte[] a = slots.getAndSet(i, null);
      if (a != null) {
        bytes += a.length;
      }
    }
    retained.subtract(bytes);
    return bytes;
  }

  /** Arrays pooled right now (a scan: for snapshots, not for hot paths). */
  int buffers() {
    int n = 0;
    for (int i = 0; i < slots.length(); i++) {
      if (slots.get(i) != null) {
        n++;
      }
    }
    return n;
  }

  int capacity() {
    return slots.length();
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

  SizeClassStats snapshot() {
    long[] c = new long[COUNTERS];
    for (int i = 0; i < COUNTERS; i++) {
      c[i] = counters[i].sum();
    }
    return new SizeClassStats(this, retained.get(), buffers(), c);
  }
}
