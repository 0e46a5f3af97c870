package dev.rebyte.runtime;

import static dev.rebyte.runtime.TestPools.config;
import static dev.rebyte.runtime.TestPools.pool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeakDetectionTest {
  private static final int GC_ROUNDS = 30;

  /** GCs until {@code expected} leaks are seen or GC_ROUNDS rounds pass; waits on the queue. */
  static long awaitLeaks(BytePool pool, long expected) throws InterruptedException {
    long seen = pool.stats().leaks();
    for (int round = 0; round < GC_ROUNDS && seen < expected; round++) {
      System.gc();
      pool.leaks().awaitLeaks(100);
      seen = pool.stats().leaks();
    }
    return seen;
  }

  /*
   * "No leak" is only worth asserting when a leak would have been seen: each such case drops one
   * array of a control site last, waits until that leak is found (all the GCs it takes), gives the
   * others one more GC, and then asserts the control is the only leak.
   */
  private static void assertOnlyTheControlLeaked(BytePool pool, int control)
      throws InterruptedException {
    assertEquals(1, awaitLeaks(pool, 1), "leaks seen waiting for the control's one");
    settle(pool);
    PoolStats s = pool.stats();
    assertEquals(1, s.leaks(), s.recentLeaks().toString());
    assertEquals(1, s.sites().get(control).leaks());
    assertEquals(control, s.recentLeaks().get(0).siteId());
  }

  /** One more GC and wait, for anything collected with or after what was awaited. */
  private static void settle(BytePool pool) throws InterruptedException {
    System.gc();
    pool.leaks().awaitLeaks(100);
  }

  private static void acquireAndDrop(BytePool pool, int site) {
    byte[] a = pool.acquire(8192, site, false);
    a[0] = 1;
  }

  private static void leaseAndDrop(BytePool pool) {
    Lease lease = pool.lease(8192);
    lease.array()[0] = 1;
  }

  @Test
  void paranoid_droppedArray_isALeakOfItsSiteWithStack() throws InterruptedException {
    BytePool pool = pool(config().leakDetection(LeakDetection.PARANOID).build());
    int site = pool.sites().register("com/acme/Frame", "decode", "()V", 42, 8192, SiteMode.EXACT);
    acquireAndDrop(pool, site);
    assertEquals(1, awaitLeaks(pool, 1));
    PoolStats s = pool.stats();
    assertEquals(1, s.siteLeaks());
    assertEquals(0, s.leaseLeaks());
    assertEquals(1, s.sites().get(site).leaks());
    LeakRecord r = s.recentLeaks().get(0);
    assertEquals(LeakRecord.Kind.SITE, r.kind());
    assertEquals(site, r.siteId());
    assertEquals("com.acme.Frame.decode()V:42", r.site());
    assertTrue(r.stack().stream().anyMatch(e -> e.getMethodName().equals("acquireAndDrop")),
        r.toString());
  }

  @Test
  void paranoid_leakStack_startsAtTheCallerOfTheRuntime() throws InterruptedException {
    BytePool pool = pool(config().leakDetection(LeakDetection.PARANOID).build());
    int site = pool.sites().register("com/acme/Frame", "decode", "()V", 42, 8192, SiteMode.EXACT);
    acquireAndDrop(pool, site);
    leaseAndDrop(pool);
    assertEquals(2, awaitLeaks(pool, 2));
    for (LeakRecord r : pool.stats().recentLeaks()) {
      String first = r.stack().get(0).getMethodName();
      assertTrue(first.equals("acquireAndDrop") || first.equals("leaseAndDrop"), r.toString());
    }
  }

  @Test
  void paranoid_allocatorSite_escapedArrayIsCountedAsEscapedNotLeaked() throws InterruptedException {
    BytePool pool = pool(config().leakDetection(LeakDetection.PARANOID).build());
    int site = pool.sites().register("com/acme/IOUtils", "byteArray", "(I)[B", 7, -1,
        SiteMode.ALLOCATOR);
    int control = pool.sites().register("com/acme/Frame", "decode", "()V", 42, 8192, SiteMode.EXACT);
    acquireAndDrop(pool, site); // a caller let it escape: garbage, not a leak
    pool.release(pool.acquire(8192, site, false), -1, site); // a caller proved it dead
    acquireAndDrop(pool, control); // the positive control: a leak the same wait must see
    assertOnlyTheControlLeaked(pool, control);
    PoolStats s = pool.stats();
    assertEquals(1, s.siteLeaks());
    assertEquals(1, s.escaped());
    assertEquals(1, s.outstanding()); // the control's array: leaked arrays stay outstanding
    SiteStats stats = s.sites().get(site);
    assertEquals(SiteMode.ALLOCATOR, stats.mode());
    assertEquals(2, stats.acquires());
    assertEquals(1, stats.escaped());
    assertEquals(0, stats.outstanding());
    assertEquals(0, stats.leaks());
  }

  @Test
  void paranoid_releasedArray_isNoLeakEvenWhenDropped() throws InterruptedException {
    BytePool pool = pool(config().maxBytes(0).leakDetection(LeakDetection.PARANOID).build());
    int control = pool.sites().register("com/acme/Frame", "decode", "()V", 42, 8192, SiteMode.EXACT);
    for (int i = 0; i < 10; i++) {
      pool.release(pool.acquire(8192, -1, false), -1, -1); // dropped: maxBytes 0
    }
    assertEquals(0, pool.leaks().tracked());
    acquireAndDrop(pool, control);
    assertOnlyTheControlLeaked(pool, control);
  }

  @Test
  void paranoid_unclosedLease_isALeaseLeak() throws InterruptedException {
    BytePool pool = pool(config().leakDetection(LeakDetection.PARANOID).build());
    leaseAndDrop(pool);
    assertEquals(1, awaitLeaks(pool, 1));
    PoolStats s = pool.stats();
    assertEquals(1, s.leaseLeaks());
    assertEquals(0, s.siteLeaks());
    LeakRecord r = s.recentLeaks().get(0);
    assertEquals(LeakRecord.Kind.LEASE, r.kind());
    assertTrue(r.stack().stream().anyMatch(e -> e.getMethodName().equals("leaseAndDrop")));
  }

  @Test
  void paranoid_closedLease_isNoLeak() throws InterruptedException {
    BytePool pool = pool(config().leakDetection(LeakDetection.PARANOID).build());
    for (int i = 0; i < 10; i++) {
      try (Lease lease = pool.lease(8192)) {
        assertNotNull(lease.array());
      }
    }
    assertEquals(0, pool.leaks().tracked());
    leaseAndDrop(pool); // the positive control: an unclosed lease the same wait must see
    assertEquals(1, awaitLeaks(pool, 1), "leaks seen waiting for the control lease's one");
    settle(pool);
    assertEquals(1, pool.stats().leaseLeaks());
    assertEquals(0, pool.stats().siteLeaks());
  }

  @Test
  void sampled_tracksAboutOneIn128AndUntracksOnRelease() {
    BytePool pool = pool(config().leakDetection(LeakDetection.SAMPLED).build());
    List<byte[]> held = new ArrayList<>();
    for (int i = 0; i < 128 * 40; i++) {
      held.add(pool.acquire(4096, -1, false));
    }
    int tracked = pool.leaks().tracked();
    assertTrue(tracked >= 10 && tracked <= 120, "tracked " + tracked); // expected 40
    for (byte[] a : held) {
      pool.release(a, -1, -1);
    }
    assertEquals(0, pool.leaks().tracked());
  }

  @Test
  void sampled_leakIsEventuallySeen() throws InterruptedException {
    BytePool pool = pool(config().leakDetection(LeakDetection.SAMPLED).build());
    int site = pool.sites().register("com/acme/Frame", "decode", "()V", 1, -1, SiteMode.EXACT);
    for (int i = 0; i < 128 * 8; i++) {
      acquireAndDrop(pool, site);
    }
    assertTrue(awaitLeaks(pool, 1) >= 1);
    PoolStats s = pool.stats();
    assertTrue(s.sites().get(site).leaks() >= 1);
    assertTrue(s.recentLeaks().get(0).stack().isEmpty()); // stacks only in paranoid mode
  }

  @Test
  void disabled_tracksNothing() {
    BytePool pool = pool(config().leakDetection(LeakDetection.DISABLED).build());
    for (int i = 0; i < 1000; i++) {
      pool.acquire(4096, -1, false);
      pool.lease(4096);
    }
    assertEquals(0, pool.leaks().tracked());
  }
}
