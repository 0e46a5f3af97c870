package dev.rebyte.runtime;

import static dev.rebyte.runtime.TestPools.KIB;
import static dev.rebyte.runtime.TestPools.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FailSafeTest {
  /** A pool whose clock fails: every release that reaches a slot throws inside the pool. */
  private static CurrentPool broken() {
    CurrentPool current = new CurrentPool(() -> {
      throw new IllegalStateException("clock broke");
    }, false);
    current.configure(config().build());
    return current;
  }

  @Test
  void acquireRelease_forwardToTheCurrentPool() {
    CurrentPool current = new CurrentPool(new TestPools.ManualClock(), false);
    current.configure(config().build());
    FailSafe calls = new FailSafe(current);
    byte[] a = calls.acquire(5000, -1, false);
    assertEquals(5000, a.length);
    calls.release(a, -1, -1);
    assertSame(a, calls.acquire(5000, -1, false));
    assertEquals(5120, calls.acquire(5000, -1, true).length);
    calls.observe(8 * KIB, -1);
    PoolStats s = current.get().stats();
    assertEquals(1, s.hits());
    assertEquals(8 * KIB, s.observedBytes());
    assertFalse(calls.failed());
  }

  @Test
  void acquire_negative_throwsLikeNewAndIsNoInternalError() {
    FailSafe calls = new FailSafe(broken());
    assertThrows(NegativeArraySizeException.class, () -> calls.acquire(-1, -1, false));
    assertThrows(NegativeArraySizeException.class, () -> calls.acquire(-1, -1, true));
    assertFalse(calls.failed());
  }

  @Test
  void release_internalError_dropsTheArrayAndIsReported() {
    CurrentPool current = broken();
    FailSafe calls = new FailSafe(current);
    calls.release(new byte[8 * KIB], -1, -1); // the pool throws inside: nothing escapes
    assertTrue(calls.failed());
    calls.release(new byte[8 * KIB], 100, -1); // reported (logged) once, still nothing escapes
    assertEquals(0, current.get().stats().releasesPooled());
    assertEquals(8 * KIB, calls.acquire(8 * KIB, -1, false).length); // acquires are unaffected
  }

  @Test
  void release_null_isIgnored() {
    FailSafe calls = new FailSafe(broken());
    calls.release(null, -1, -1);
    calls.release(null, 10, -1);
    assertFalse(calls.failed());
  }
}
