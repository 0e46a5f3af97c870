package dev.rebyte.runtime;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes held under one bound: a size class's share, or the whole pool's {@code max-bytes}.
 * {@link #tryAdd} never takes the count past the bound, so {@code get() <= max} at every instant.
 */
final class RetainedBytes {
  /*
   * An AtomicLong, not a LongAdder: the count enforces a bound, so it must be exact at every
   * compareAndSet. tryAdd is a CAS loop that refuses to cross max; subtract never fails. The count
   * is of reservations: the pool adds before it puts an array into a slot and subtracts after it took
   * one out (or evicted it), so the count is always >= the bytes actually in slots.
   */
  private final AtomicLong bytes = new AtomicLong();
  private final long max;

  RetainedBytes(long max) {
    this.max = max;
  }

  /** Adds {@code n} unless that would exceed the bound; false (and nothing added) if it would. */
  boolean tryAdd(long n) {
    for (;;) {
      long b = bytes.get();
      if (b + n > max) {
        return false;
      }
      if (bytes.compareAndSet(b, b + n)) {
        return true;
      }
    }
  }

  void subtract(long n) {
    bytes.addAndGet(-n);
  }

  long get() {
    return bytes.get();
  }

  long max() {
    return max;
  }
}
