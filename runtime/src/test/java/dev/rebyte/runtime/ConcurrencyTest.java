package dev.rebyte.runtime;

import static dev.rebyte.runtime.TestPools.KIB;
import static dev.rebyte.runtime.TestPools.config;
import static dev.rebyte.runtime.TestPools.pool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {
  private static final int THREADS = 4;
  private static final long STRESS_NANOS = TimeUnit.MILLISECONDS.toNanos(1500);
  private static final int STRESS_MAX_ITERATIONS = 200_000;
  private static final long JOIN_MILLIS = TimeUnit.SECONDS.toMillis(20);
  private static final int[] LENGTHS = {4096, 4500, 5120, 8192, 12_000, 20_480, 30_000};

  /*
   * Each worker borrows, writes its signature, checks it, and releases, over random lengths of
   * both modes; it fails (an AssertionError that Workers rethrows in the test thread) on a dirty or
   * short array, an array held by two borrowers at once, an overwritten signature or a bound
   * exceeded. After the join the counters must add up: one acquire (hit or miss) and one release
   * (pooled or dropped, never rejected) per iteration.
   */
  @Test
  void stress_neverDirtyNeverSharedNeverOverBound() throws Exception {
    BytePool pool = pool(config().maxSize(32 * KIB).maxBytes(96 * KIB).build());
    Set<byte[]> owned = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    AtomicLong iterations = new AtomicLong();
    long deadline = System.nanoTime() + STRESS_NANOS;
    Workers workers = new Workers();
    workers.start("stress", THREADS, t -> {
      byte signature = (byte) (t + 1);
      ThreadLocalRandom random = ThreadLocalRandom.current();
      for (int i = 0; i < STRESS_MAX_ITERATIONS && !workers.failed(); i++) {
        if ((i & 255) == 0 && System.nanoTime() > deadline) {
          break;
        }
        int length = LENGTHS[random.nextInt(LENGTHS.length)];
        boolean atLeast = random.nextBoolean();
        byte[] a = pool.acquire(length, 0, atLeast);
        assertTrue(a.length >= length && (atLeast || a.length == length), "length " + a.length + " for " + length);
        for (int k = 0; k < a.length; k++) {
          assertEquals(0, a[k], "byte " + k + " of " + a.length);
        }
        assertTrue(owned.add(a), "array handed to two borrowers");
        int written = atLeast || random.nextBoolean() ? length : a.length;
        Arrays.fill(a, 0, written, signature);
        Thread.yield();
        for (int k = 0; k < written; k++) {
          assertEquals(signature, a[k], "signature at " + k);
        }
        assertTrue(owned.remove(a));
        if (written == a.length && random.nextBoolean()) {
          pool.release(a, -1, 0);
        } else {
          pool.release(a, written, 0);
        }
        // No double release here: once released, `a` may already be another thread's, and a
        // release by a non-owner is undetectable (see SizeClass). releaseTwiceConcurrently_*
        // covers two releases that race while the array is not borrowed.
        long retained = pool.retainedBytes();
        assertTrue(retained <= pool.maxBytes(), "retained " + retained + " > " + pool.maxBytes());
        for (int c = 0; c < pool.table().count(); c++) {
          SizeClass sc = pool.sizeClass(c);
          long r = sc.retained.get();
          assertTrue(r <= sc.maxBytes, "class " + c + " retained " + r + " > " + sc.maxBytes);
        }
        iterations.incrementAndGet();
      }
    });
    workers.join(JOIN_MILLIS);
    PoolStats s = pool.stats();
    assertTrue(s.hits() > 0 && s.misses() > 0, s.toString());
    assertEquals(iterations.get(), s.hits() + s.misses(), s.toString());
    assertEquals(0, s.bypasses());
    assertEquals(iterations.get(), s.releasesPooled() + s.releasesDropped(), s.toString());
    assertEquals(0, s.releasesRejected());
    assertEquals(0, s.outstanding());
    // quiescent: the exact accounting equals what the slots hold
    long slotBytes = 0;
    long slotBuffers = 0;
    for (SizeClassStats c : s.sizeClasses()) {
      slotBytes += c.retainedBytes();
      slotBuffers += c.retainedBuffers();
    }
    assertEquals(s.retainedBytes(), slotBytes);
    assertEquals(s.retainedBuffers(), slotBuffers);
    assertTrue(s.retainedBytes() <= s.maxBytes());
    pool.trim(Long.MAX_VALUE);
    assertEquals(0, pool.retainedBytes());
  }

  /*
   * Two threads release the same unborrowed array at the same moment, 500 times: exactly one
   * release pools it, the other is rejected (or dropped when it lost the stripe lock), and the
   * array is handed out once.
   */
  @Test
  void releaseTwiceConcurrently_poolsOnce() throws Throwable {
    BytePool pool = pool(config().build());
    int rounds = 500;
    CyclicBarrier start = new CyclicBarrier(3);
    CyclicBarrier done = new CyclicBarrier(3);
    AtomicReference<byte[]> shared = new AtomicReference<>();
    Workers releasers = new Workers().start("releaser", 2, t -> {
      for (int r = 0; r < rounds; r++) {
        start.await(10, TimeUnit.SECONDS);
        pool.release(shared.get(), -1, 0);
        done.await(10, TimeUnit.SECONDS);
      }
    });
    Throwable failure = null;
    try {
      for (int r = 0; r < rounds; r++) {
        long pooledBefore = pool.stats().releasesPooled();
        shared.set(pool.acquire(8192, 0, false));
        start.await(10, TimeUnit.SECONDS);
        done.await(10, TimeUnit.SECONDS);
        PoolStats s = pool.stats();
        assertEquals(pooledBefore + 1, s.releasesPooled(), "round " + r);
        assertEquals(1, s.retainedBuffers());
        byte[] x = pool.acquire(8192, 0, false);
        byte[] y = pool.acquire(8192, 0, false);
        assertNotSame(x, y);
        assertEquals(0, pool.retainedBytes());
      }
    } catch (Throwable e) { // free the releasers, then report both sides
      failure = e;
      start.reset();
      done.reset();
    }
    try {
      releasers.join(JOIN_MILLIS);
    } catch (Throwable e) {
      if (failure == null) {
        throw e;
      }
      failure.addSuppressed(e);
    }
    if (failure != null) {
      throw failure;
    }
    PoolStats s = pool.stats();
    assertEquals(rounds, s.releasesPooled());
    assertEquals(rounds, s.releasesRejected() + s.releasesDropped());
  }

  @Test
  void hit_allocatesNothing() {
    BytePool pool = pool(config().build());
    assertTrue(allocatedPerHit(pool, 8192, false) < 1.0 / 64);
    assertTrue(allocatedPerHit(pool, 6000, true) < 1.0 / 64);
  }

  private static double allocatedPerHit(BytePool pool, int length, boolean atLeast) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    for (int i = 0; i < 20_000; i++) { // warm-up: the first acquire misses, the rest hit
      pool.release(pool.acquire(length, 0, atLeast), length, 0);
    }
    int hits = 100_000;
    long hitsBefore = pool.stats().hits();
    long before = threads.getThreadAllocatedBytes(id);
    for (int i = 0; i < hits; i++) {
      byte[] a = pool.acquire(length, 0, atLeast);
      a[0] = 1;
      pool.release(a, 1, 0);
    }
    long allocated = threads.getThreadAllocatedBytes(id) - before;
    assertEquals(hits, pool.stats().hits() - hitsBefore);
    return (double) allocated / hits; // a tiny constant (the bean call itself) is allowed
  }
}
