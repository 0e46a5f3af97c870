package dev.rebyte.runtime;

import static dev.rebyte.runtime.TestPools.KIB;
import static dev.rebyte.runtime.TestPools.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

class CurrentPoolTest {
  private final CurrentPool current = new CurrentPool(new TestPools.ManualClock(), false);

  @Test
  void get_beforeConfigure_createsOnePoolWithTheDefaults() {
    BytePool p = current.get();
    assertSame(p, current.get());
    assertEquals(PoolConfig.defaults().toString(), p.config().toString());
  }

  @Test
  void get_concurrentFirstCalls_createOnePool() throws Exception {
    Set<BytePool> seen = ConcurrentHashMap.newKeySet();
    CyclicBarrier start = new CyclicBarrier(4);
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      threads[t] = new Thread(() -> {
        try {
          start.await();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        seen.add(current.get());
      });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(1, seen.size());
  }

  @Test
  void configure_again_retiresTheOldPoolAndKeepsSites() {
    current.configure(config().build());
    BytePool first = current.get();
    int site = current.sites().register("com/acme/A", "run", "()V", 1, -1, SiteMode.EXACT);
    first.release(new byte[8 * KIB], -1, site);
    assertEquals(8 * KIB, first.retainedBytes());

    current.configure(config().maxBytes(128L * KIB).build());
    BytePool second = current.get();
    assertNotSame(first, second);
    assertEquals(128L * KIB, second.maxBytes());
    assertEquals(0, first.retainedBytes());
    first.release(new byte[8 * KIB], -1, site); // a borrower of the old pool: dropped
    assertEquals(0, first.retainedBytes());
    assertSame(current.sites(), second.sites());
    assertSame(first.leaks(), second.leaks());
    SiteStats s = second.stats().sites().get(site);
    assertEquals(1, s.releasesPooled());
    assertEquals(1, s.releasesDropped());
  }

  @Test
  void configure_null_throws() {
    assertThrows(NullPointerException.class, () -> current.configure(null));
  }
}
