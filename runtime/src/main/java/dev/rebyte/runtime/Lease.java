package dev.rebyte.runtime;

import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * An array borrowed explicitly from the pool, for code that uses it directly:
 *
 * <pre>{@code
 * try (Lease lease = Rebyte.lease(n)) {
 *   byte[] b = lease.array(); // exactly n zero bytes
 *   ...
 * } // released here
 * }</pre>
 *
 * <ul>
 *   <li>{@link #close()} releases the array once, clearing its whole capacity. A second close (from
 *       any thread) is a no-op and is counted nowhere: a lease knows it is closed, so a repeated
 *       close is not a double release of the array.</li>
 *   <li>{@link #array()} after close throws {@link IllegalStateException}. Code that kept the array
 *       itself is not stopped; poison mode makes that visible.</li>
 *   <li>Leases are tracked for leaks per {@link LeakDetection}: a tracked lease collected without
 *       close counts as a {@code lease} leak (with the acquiring stack in {@code PARANOID}),
 *       separately from leaks of rewritten sites.</li>
 * </ul>
 * Lengths outside the pool's classes are allocated and, on close, dropped, as for any site.
 */
public final class Lease implements AutoCloseable {
  private static final AtomicReferenceFieldUpdater<Lease, byte[]> ARRAY =
      AtomicReferenceFieldUpdater.newUpdater(Lease.class, byte[].class, "array");

  private final BytePool pool;
  private volatile byte[] array; // null once closed
  LeakTracker.Tracker tracker; // set right after construction when sampled, else null

  Lease(BytePool pool, byte[] array) {
    this.pool = pool;
    this.array = array;
  }

  /** The leased array. @throws IllegalStateException once the lease is closed */
  public byte[] array() {
    byte[] a = array;
    if (a == null) {
      throw new IllegalStateException("lease is closed");
    }
    return a;
  }

  public boolean isClosed() {
    return array == null;
  }

  /** Returns the array to the pool; later calls do nothing. */
  @Override
  public void close() {
    byte[] a = ARRAY.getAndSet(this, null);
    if (a != null) {
      pool.closeLease(this, a);
    }
  }

  @Override
  public String toString() {
    byte[] a = array;
    return a == null ? "Lease[closed]" : "Lease[" + a.length + " bytes]";
  }
}
