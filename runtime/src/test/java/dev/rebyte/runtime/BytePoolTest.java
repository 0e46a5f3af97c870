package dev.rebyte.runtime;

import static dev.rebyte.runtime.TestPools.KIB;
import static dev.rebyte.runtime.TestPools.allZero;
import static dev.rebyte.runtime.TestPools.config;
import static dev.rebyte.runtime.TestPools.pool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BytePoolTest {
  private final BytePool pool = pool(config().build());
  private final int site = pool.sites().register("com/acme/Io", "copy", "()V", 7, -1, SiteMode.EXACT);

  @Test
  void acquire_exact_returnsExactLengthOfZeros() {
    byte[] a = pool.acquire(5000, site, false);
    assertEquals(5000, a.length);
    assertTrue(allZero(a));
    assertEquals(1, pool.stats().misses());
  }

  @Test
  void acquire_afterDirtyRelease_isZeroEverywhere() {
    byte[] a = pool.acquire(8192, site, false);
    Arrays.fill(a, (byte) 0xFF);
    pool.release(a, -1, site);
    byte[] b = pool.acquire(8192, site, false);
    assertSame(a, b);
    assertTrue(allZero(b));
    assertEquals(1, pool.stats().hits());
    assertEquals(8192, pool.stats().bytesSaved());
  }

  @Test
  void release_withLength_clearsOnlyThePrefix() {
    byte[] a = pool.acquire(5000, site, true);
    assertEquals(5120, a.length);
    Arrays.fill(a, 0, 5000, (byte) 0xFF);
    a[5100] = 7; // a borrower that could only write [0, 5000) never does this ...
    pool.release(a, 5000, site);
    assertTrue(allZero(Arrays.copyOf(a, 5000)));
    assertEquals(7, a[5100]); // ... which is how we see that only the prefix was cleared
    a[5100] = 0;
    byte[] b = pool.acquire(4500, site, true);
    assertSame(a, b);
    assertTrue(allZero(b));
  }

  @Test
  void acquire_exact_hitsOnlyTheSameLength() {
    byte[] a = pool.acquire(4500, site, false); // class [4097, 5120]
    pool.release(a, -1, site);
    assertNotSame(a, pool.acquire(4600, site, false));
    assertSame(a, pool.acquire(4500, site, false));
  }

  @Test
  void acquire_staleSlotHint_fallsBackToScan() {
    byte[] a = new byte[4500];
    byte[] b = new byte[4600];
    pool.release(a, -1, site);
    pool.release(b, -1, site); // the site's hint now points at b's slot
    assertSame(a, pool.acquire(4500, site, false)); // hint has the wrong length: the scan finds a
    assertSame(b, pool.acquire(4600, site, false));
    assertEquals(2, pool.stats().hits());
  }

  @Test
  void acquireAtLeast_neverReturnsLessCapacity() {
    byte[] a = pool.acquire(4500, site, false);
    pool.release(a, -1, site);
    byte[] b = pool.acquire(5000, site, true); // 4500 is in the class but too short
    assertNotSame(a, b);
    assertEquals(5120, b.length);
    assertSame(a, pool.acquire(4200, site, true)); // 4500 >= 4200: any fitting array of the class
  }

  @Test
  void acquireAtLeast_hitsAnExactArrayOfTheClass() {
    byte[] a = pool.acquire(5120, site, false);
    pool.release(a, -1, site);
    assertSame(a, pool.acquire(4097, site, true));
  }

  @Test
  void acquire_outsideClasses_bypasses() {
    assertEquals(100, pool.acquire(100, site, false).length);
    assertEquals(2048 * KIB, pool.acquire(2048 * KIB, site, false).length);
    assertEquals(0, pool.acquire(0, site, true).length);
    PoolStats s = pool.stats();
    assertEquals(3, s.bypasses());
    assertEquals(0, s.hits() + s.misses());
  }

  @Test
  void acquire_negative_throwsNegativeArraySize() {
    assertThrows(NegativeArraySizeException.class, () -> pool.acquire(-1, site, false));
    assertThrows(NegativeArraySizeException.class, () -> pool.acquire(-5, site, true));
    assertEquals(0, pool.stats().bypasses());
  }

  @Test
  void release_outsideClasses_isDropped() {
    pool.release(new byte[100], -1, site);
    pool.release(new byte[2048 * KIB], -1, site);
    pool.release(null, -1, site);
    PoolStats s = pool.stats();
    assertEquals(2, s.releasesDropped());
    assertEquals(0, s.retainedBytes());
    assertEquals(0, s.evictionsBound());
  }

  @Test
  void release_exactArrayOfAnyLength_goesToItsClass() {
    byte[] a = new byte[4097];
    pool.release(a, -1, site);
    SizeClassStats c1 = pool.stats().sizeClasses().get(1);
    assertEquals(1, c1.retainedBuffers());
    assertEquals(4097, c1.retainedBytes());
  }

  @Test
  void release_overTotalBound_drops() {
    BytePool small = pool(config().maxBytes(40 * KIB).build());
    for (int i = 0; i < 6; i++) { // 6 x 8 KiB into a 40 KiB bound, class share 10 KiB ...
      small.release(new byte[8 * KIB], -1, -1);
    }
    // ... so only one 8 KiB array per class fits: share = max(40/4, 8) KiB = 10 KiB
    assertEquals(8 * KIB, small.retainedBytes());
    for (int size : new int[] {10 * KIB, 12 * KIB, 14 * KIB, 16 * KIB}) {
      small.release(new byte[size], -1, -1);
    }
    PoolStats s = small.stats();
    assertEquals(8 + 10 + 12, s.retainedBytes() / KIB); // 14 KiB, then 16 KiB, would cross 40 KiB
    assertTrue(s.retainedBytes() <= s.maxBytes());
    assertEquals(3, s.retainedBuffers());
    assertEquals(5 + 2, s.releasesDropped());
    assertEquals(5 + 2, s.evictionsBound());
  }

  @Test
  void release_overClassShare_drops() {
    BytePool small = pool(config().maxBytes(64 * KIB).build()); // share 16 KiB
    for (int i = 0; i < 5; i++) {
      small.release(new byte[4 * KIB], -1, -1);
    }
    SizeClassStats c0 = small.stats().sizeClasses().get(0);
    assertEquals(16 * KIB, c0.maxBytes());
    assertEquals(4, c0.retainedBuffers());
    assertEquals(1, c0.releasesDropped());
    assertEquals(1, c0.evictionsBound());
  }

  @Test
  void classShare_isQuarterOrOneLargestArray() {
    BytePool small = pool(config().maxBytes(1536 * KIB).build());
    PoolStats s = small.stats();
    assertEquals(384 * KIB, s.sizeClasses().get(0).maxBytes());
    assertEquals(1024 * KIB, s.sizeClasses().get(s.sizeClasses().size() - 1).maxBytes());
    small.release(new byte[1024 * KIB], -1, -1);
    assertEquals(1, small.stats().retainedBuffers());
  }

  @Test
  void release_zeroMaxBytes_retainsNothing() {
    BytePool none = pool(config().maxBytes(0).build());
    none.release(new byte[4 * KIB], -1, -1);
    assertEquals(0, none.retainedBytes());
    assertEquals(1, none.stats().releasesDropped());
  }

  @Test
  void release_twice_isRejectedAndHandedOutOnce() {
    byte[] a = pool.acquire(8192, site, false);
    pool.release(a, -1, site);
    pool.release(a, -1, site);
    PoolStats s = pool.stats();
    assertEquals(1, s.releasesPooled());
    assertEquals(1, s.releasesRejected());
    assertEquals(1, s.retainedBuffers());
    assertEquals(8192, s.retainedBytes());
    assertSame(a, pool.acquire(8192, site, false));
    assertNotSame(a, pool.acquire(8192, site, false));
  }

  @Test
  void release_twiceWhenFull_isStillRejected() {
    BytePool small = pool(config().maxBytes(8 * KIB).build());
    byte[] a = new byte[8 * KIB];
    small.release(a, -1, -1);
    small.release(a, -1, -1);
    assertEquals(1, small.stats().releasesRejected());
    assertEquals(0, small.stats().releasesDropped());
  }

  @Test
  void trim_dropsOnlyArraysIdleLongerThanTimeout() {
    TestPools.ManualClock clock = new TestPools.ManualClock();
    BytePool p = pool(config().idleTimeout(Duration.ofSeconds(10)).build(), clock);
    p.release(new byte[4 * KIB], -1, -1);
    clock.now = Duration.ofSeconds(6).toNanos();
    p.release(new byte[8 * KIB], -1, -1);
    p.trim(Duration.ofSeconds(10).toNanos()); // exactly the timeout: not longer
    assertEquals(2, p.stats().retainedBuffers());
    p.trim(Duration.ofSeconds(10).toNanos() + 1);
    PoolStats s = p.stats();
    assertEquals(1, s.retainedBuffers());
    assertEquals(8 * KIB, s.retainedBytes());
    assertEquals(1, s.evictionsIdle());
    p.trim(Duration.ofSeconds(17).toNanos());
    assertEquals(0, p.stats().retainedBytes());
    assertEquals(2, p.stats().evictionsIdle());
  }

  @Test
  void trim_afterReuse_countsFromTheLastRelease() {
    TestPools.ManualClock clock = new TestPools.ManualClock();
    BytePool p = pool(config().idleTimeout(Duration.ofSeconds(10)).build(), clock);
    byte[] a = new byte[4 * KIB];
    p.release(a, -1, -1);
    clock.now = Duration.ofSeconds(9).toNanos();
    assertSame(a, p.acquire(4 * KIB, -1, false));
    p.release(a, -1, -1);
    p.trim(Duration.ofSeconds(15).toNanos());
    assertEquals(1, p.stats().retainedBuffers());
  }

  @Test
  void relieve_aboveThreshold_dropsHalf() {
    for (int i = 0; i < 4; i++) {
      pool.release(new byte[4 * KIB], -1, -1);
    }
    pool.release(new byte[8 * KIB], -1, -1);
    assertFalse(GcPressure.relieve(pool, 0.70));
    assertEquals(5, pool.stats().retainedBuffers());
    assertTrue(GcPressure.relieve(pool, 0.85));
    PoolStats s = pool.stats();
    assertEquals(2, s.retainedBuffers()); // 4 -> 2, 1 -> 0 (half, rounded up)
    assertEquals(3, s.evictionsPressure());
    assertEquals(8 * KIB, s.retainedBytes());
  }

  @Test
  void retire_dropsRetainedAndLaterReleases() {
    pool.release(new byte[4 * KIB], -1, -1);
    pool.retire();
    assertEquals(0, pool.retainedBytes());
    pool.release(new byte[4 * KIB], -1, -1);
    assertEquals(0, pool.retainedBytes());
    assertEquals(1, pool.stats().releasesDropped());
  }

  @Test
  void unknownSite_isCountedInItsBucket() {
    pool.acquire(8192, -1, false);
    pool.acquire(8192, 12345, false);
    pool.release(new byte[8192], Integer.MIN_VALUE, -1);
    PoolStats s = pool.stats();
    assertEquals(2, s.unknownSite().misses());
    assertEquals(1, s.unknownSite().releasesPooled());
    assertEquals(-1, s.unknownSite().id());
    assertEquals(2, s.misses());
  }

  @Test
  void observe_countsWithoutAllocating() {
    pool.observe(8192, site);
    pool.observe(100, site);
    pool.observe(-1, site);
    SiteStats s = pool.stats().sites().get(site);
    assertEquals(2, s.observed());
    assertEquals(8292, s.observedBytes());
    assertEquals(0, s.acquires());
    assertEquals(0, pool.stats().retainedBytes());
  }

  @Test
  void stats_totalsMatchSitesAndClasses() {
    int other = pool.sites().register("com/acme/Io", "read", "([B)I", 9, 8192, SiteMode.ROUNDED);
    byte[] a = pool.acquire(8192, site, false);
    byte[] b = pool.acquire(6000, other, true);
    byte[] c = pool.acquire(100, other, false);
    pool.release(a, -1, site);
    pool.release(b, 6000, other);
    pool.release(c, -1, other);
    pool.release(a, -1, site); // rejected
    pool.acquire(8192, site, false); // hit
    pool.acquire(5000, -1, false); // unknown site: miss
    PoolStats s = pool.stats();
    assertEquals(2, s.sites().size());
    assertEquals(site, s.sites().get(site).id());
    assertEquals("read", s.sites().get(other).methodName());
    assertEquals(SiteMode.ROUNDED, s.sites().get(other).mode());
    assertEquals(8192, s.sites().get(other).constantLength());
    long hits = s.unknownSite().hits();
    long misses = s.unknownSite().misses();
    long bypasses = s.unknownSite().bypasses();
    long pooled = s.unknownSite().releasesPooled();
    long outstanding = s.unknownSite().outstanding();
    for (SiteStats x : s.sites()) {
      hits += x.hits();
      misses += x.misses();
      bypasses += x.bypasses();
      pooled += x.releasesPooled();
      outstanding += x.outstanding();
    }
    assertEquals(1, s.hits());
    assertEquals(3, s.misses());
    assertEquals(1, s.bypasses());
    assertEquals(2, s.releasesPooled());
    assertEquals(1, s.releasesDropped());
    assertEquals(1, s.releasesRejected());
    assertEquals(2, s.outstanding());
    assertEquals(s.hits(), hits);
    assertEquals(s.misses(), misses);
    assertEquals(s.bypasses(), bypasses);
    assertEquals(s.releasesPooled(), pooled);
    assertEquals(s.outstanding(), outstanding);
    long classHits = 0;
    long classMisses = 0;
    long classBytes = 0;
    int classBuffers = 0;
    for (SizeClassStats x : s.sizeClasses()) {
      classHits += x.hits();
      classMisses += x.misses();
      classBytes += x.retainedBytes();
      classBuffers += x.retainedBuffers();
    }
    assertEquals(s.hits(), classHits);
    assertEquals(s.misses(), classMisses);
    assertEquals(s.retainedBytes(), classBytes);
    assertEquals(s.retainedBuffers(), classBuffers);
    assertEquals(6144, s.retainedBytes()); // b stays pooled
    assertEquals(8192, s.bytesSaved());
  }

  @Test
  void stats_isASnapshot() {
    PoolStats before = pool.stats();
    pool.acquire(8192, site, false);
    assertEquals(0, before.misses());
    assertEquals(0, before.sites().get(site).misses());
    assertThrows(UnsupportedOperationException.class, () -> before.sites().clear());
  }
}
