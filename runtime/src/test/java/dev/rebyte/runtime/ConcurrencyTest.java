package dev.rebyte.runtime;

import static dev.rebyte.runtime.TestPools.KIB;
import static dev.rebyte.runtime.TestPools.config;
import static dev.rebyte.runtime.TestPools.pool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
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
  private static final int[] LENGTHS = {4096, 4500, 5120, 8192, 12_000, 20_480, 30_000};

  @Test
  void stress_neverDirtyNeverSharedNeverOverBound() throws Exception {
    BytePool pool = pool(config().maxSize(32 * KIB).maxBytes(96 * KIB).build());
    Set<byte[]> owned = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    AtomicReference<String> failure = new AtomicReference<>();
    AtomicLong iterations = new AtomicLong();
    long deadline = System.nanoTime() + STRESS_NANOS;
    Thread[] threads = new Thread[THREADS];
    for (int t = 0; t < THREADS; t++) {
      byte signature = (byte) (t + 1);
      threads[t] = new Thread(() -> {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < STRESS_MAX_ITERATIONS && failure.get() == null; i++) {
          if ((i & 255) == 0 && System.nanoTime() > deadline) {
            break;
          }
          int length = LENGTHS[random.nextInt(LENGTHS.length)];
          boolean atLeast = random.nextBoolean();
          byte[] a = pool.acquire(length, 0, atLeast);
          if (a.length < length || (!atLeast && a.length != length)) {
            failure.compareAndSet(null, "length " + a.length + " for " + length);
          }
          for (int k = 0; k < a.length; k++) {
            if (a[k] != 0) {
              failure.compareAndSet(null, "non-zero byte at " + k + " of " + a.length);
              break;
            }
          }
          if (!owned.add(a)) {
            failure.compareAndSet(null, "array handed to two borrowers");
          }
          int written = atLeast || random.nextBoolean() ? length : a.length;
          java.util.Arrays.fill(a, 0, written, signature);
          Thread.yield();
          for (int k = 0; k < written; k++) {
            if (a[k] != signature) {
              failure.compareAndSet(null, "signature overwritten at " + k);
              break;
            }
          }
          owned.remove(a);
          if (written == a.length && random.nextBoolean()) {
            pool.release(a, -1, 0);
          } else {
            pool.release(a, written, 0);
          }
          // No double release here: once released, `a` may already be another thread's, and a
          // release by a non-owner is undetectable (see SizeClass). releaseTwiceConcurrently_*
          // covers two releases that race while the array is not borrowed.
          long retained = pool.retainedBytes();
          if (retained > pool.maxBytes()) {
            failure.compareAndSet(null, "retained " + retained + " > " + pool.maxBytes());
          }
          for (int c = 0; c < pool.table().count(); c++) {
            SizeClass sc = pool.sizeClass(c);
            if (sc.retained.get() > sc.maxBytes) {
              failure.compareAndSet(null, "class " + c + " retained " + sc.retained.get());
            }
          }
          iterations.incrementAndGet();
        }
      }, "stress-" + t);
    }
    for (Thread t : threads) {
      t.start();
    }
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(30));
    }
    assertNull(failure.get());
    PoolStats s = pool.stats();
    assertTrue(s.hits() > 0, s.toString());
    assertEquals(iterations.get(), s.hits() + s.misses());
    assertEquals(0, s.outstanding());
    // quiescent: the exact accounting equals what the slots hold
    long slotBytes = 0;
    for (SizeClassStats c : s.sizeClasses()) {
      slotBytes += c.retainedBytes();
    }
    assertEquals(s.retainedBytes(), slotBytes);
    assertTrue(s.retainedBytes() <= s.maxBytes());
    pool.trim(Long.MAX_VALUE);
    assertEquals(0, pool.retainedBytes());
  }

  @Test
  void releaseTwiceConcurrently_poolsOnce() throws Exception {
    BytePool pool = pool(config().build());
    int rounds = 500;
    CyclicBarrier start = new CyclicBarrier(3);
    CyclicBarrier done = new CyclicBarrier(3);
    AtomicReference<byte[]> shared = new AtomicReference<>();
    Runnable releaser = () -> {
      try {
        for (int r = 0; r < rounds; r++) {
          start.await();
          pool.release(shared.get(), -1, 0);
          done.await();
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
    Thread t1 = new Thread(releaser);
    Thread t2 = new Thread(releaser);
    t1.start();
    t2.start();
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
    t1.join();
    t2.join();
    PoolStats s = pool.stats();
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
