package dev.rebyte.runtime;

import static dev.rebyte.runtime.TestPools.allZero;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The façade over the process-wide pool; counts are compared as deltas. */
class RebyteTest {
  @BeforeEach
  void configure() {
    Rebyte.configure(PoolConfig.builder().maxBytes(8L << 20).idleTimeout(Duration.ofMinutes(5))
        .leakDetection(LeakDetection.DISABLED).build());
  }

  @Test
  void acquireRelease_roundTripsThroughThePool() {
    int site = Rebyte.registerSite("com/acme/A", "run", "()V", 1, 8192, SiteMode.EXACT);
    byte[] a = Rebyte.acquire(8192, site);
    Arrays.fill(a, (byte) 1);
    Rebyte.release(a, site);
    byte[] b = Rebyte.acquire(8192, site);
    assertSame(a, b);
    assertTrue(allZero(b));
    SiteStats s = Rebyte.stats().sites().get(site);
    assertEquals(1, s.hits());
    assertEquals(1, s.misses());
    assertEquals(1, s.outstanding());
    byte[] c = Rebyte.acquireAtLeast(5000, site);
    assertEquals(5120, c.length);
    Rebyte.release(c, 5000, site);
    Rebyte.release(null, site);
    Rebyte.release(null, 1, site);
  }

  @Test
  void acquire_negative_throwsLikeNew() {
    assertThrows(NegativeArraySizeException.class, () -> Rebyte.acquire(-1, 0));
    assertThrows(NegativeArraySizeException.class, () -> Rebyte.acquireAtLeast(-1, 0));
    assertThrows(NegativeArraySizeException.class, () -> Rebyte.lease(-1));
  }

  @Test
  void observe_countsPerSite() {
    int site = Rebyte.registerSite("com/acme/A", "observed", "()V", 2, -1, SiteMode.OBSERVED);
    Rebyte.observe(8192, site);
    assertEquals(8192, Rebyte.stats().sites().get(site).observedBytes());
  }

  @Test
  void registerSite_concurrent_denseDistinctIds() throws InterruptedException {
    List<Integer> ids = Collections.synchronizedList(new ArrayList<>());
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      threads[t] = new Thread(() -> {
        for (int i = 0; i < 250; i++) {
          ids.add(Rebyte.registerSite("com/acme/B", "m" + i, "()V", i, -1, SiteMode.EXACT));
        }
      });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    List<Integer> sorted = new ArrayList<>(ids);
    Collections.sort(sorted);
    for (int i = 1; i < sorted.size(); i++) {
      assertEquals(sorted.get(i - 1) + 1, (int) sorted.get(i));
    }
    PoolStats s = Rebyte.stats();
    assertTrue(s.sites().size() >= 1000);
    for (int id : sorted) {
      assertEquals(id, s.sites().get(id).id());
    }
  }

  @Test
  void configure_again_dropsRetainedKeepsSiteStats() {
    int site = Rebyte.registerSite("com/acme/C", "run", "()V", 3, -1, SiteMode.EXACT);
    Rebyte.release(Rebyte.acquire(8192, site), site);
    assertTrue(Rebyte.stats().retainedBytes() >= 8192);
    configure();
    assertEquals(0, Rebyte.stats().retainedBytes());
    assertEquals(1, Rebyte.stats().sites().get(site).releasesPooled());
  }

  @Test
  void lease_throughFacade() {
    try (Lease lease = Rebyte.lease(4096)) {
      assertEquals(4096, lease.array().length);
    }
  }

  @Test
  void mbean_attributesAreReadable() throws Exception {
    Rebyte.registerMBean();
    Rebyte.registerMBean(); // idempotent
    int site = Rebyte.registerSite("com/acme/D", "run", "()V", 4, -1, SiteMode.EXACT);
    Rebyte.release(Rebyte.acquire(16_384, site), site);
    Rebyte.acquire(16_384, site);
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = new ObjectName("dev.rebyte:type=Pool");
    String[] attributes = {"Hits", "Misses", "Bypasses", "ReleasesPooled", "ReleasesDropped",
        "ReleasesRejected", "RetainedBytes", "RetainedBuffers", "MaxBytes", "BytesSaved",
        "Outstanding", "Leaks", "Sites", "SiteLeaks", "LeaseLeaks", "EvictionsIdle",
        "EvictionsPressure", "EvictionsBound", "UseAfterRelease"};
    for (String attribute : attributes) {
      assertTrue(server.getAttribute(name, attribute) instanceof Long, attribute);
    }
    PoolStats s = Rebyte.stats();
    assertEquals(s.hits(), server.getAttribute(name, "Hits"));
    assertEquals(s.misses(), server.getAttribute(name, "Misses"));
    assertEquals(8L << 20, server.getAttribute(name, "MaxBytes"));
    assertEquals((long) s.sites().size(), server.getAttribute(name, "Sites"));
    assertEquals(s.outstanding(), server.getAttribute(name, "Outstanding"));
    assertTrue(((String) server.getAttribute(name, "Configuration")).contains("max-bytes=8388608"));
  }
}
