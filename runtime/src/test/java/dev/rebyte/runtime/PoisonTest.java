package dev.rebyte.runtime;

import static dev.rebyte.runtime.TestPools.allZero;
import static dev.rebyte.runtime.TestPools.config;
import static dev.rebyte.runtime.TestPools.pool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PoisonTest {
  private final BytePool pool = pool(config().poison(true).build());

  @Test
  void release_fillsWholeArrayWithPattern() {
    byte[] a = pool.acquire(5000, -1, true);
    pool.release(a, 10, -1); // even with a written prefix, the whole capacity is poisoned
    assertEquals(5120, a.length);
    for (int i = 0; i < a.length; i += 4) {
      assertEquals((byte) 0xDE, a[i]);
    }
    assertEquals((byte) 0xEF, a[5119]);
    assertTrue(Poison.intact(a));
  }

  @Test
  void acquire_intactPoison_zeroesAndCountsNothing() {
    byte[] a = pool.acquire(8192, -1, false);
    pool.release(a, -1, -1);
    byte[] b = pool.acquire(8192, -1, false);
    assertSame(a, b);
    assertTrue(allZero(b));
    assertEquals(0, pool.stats().useAfterRelease());
  }

  @Test
  void acquire_afterUseAfterRelease_detectsAndStillZeroes() {
    byte[] a = pool.acquire(8192, -1, false);
    pool.release(a, -1, -1);
    a[4000] = 42; // the bug: written after release
    byte[] b = pool.acquire(8192, -1, false);
    assertSame(a, b);
    assertTrue(allZero(b));
    PoolStats s = pool.stats();
    assertEquals(1, s.useAfterRelease());
    assertEquals(1, s.sizeClasses().get(4).useAfterRelease());
  }

  @Test
  void fill_shortArrays() {
    byte[] three = new byte[3];
    Poison.fill(three);
    assertEquals((byte) 0xBE, three[2]);
    assertTrue(Poison.intact(three));
    Poison.fill(new byte[0]);
  }
}
