package dev.rebyte.runtime;

import static dev.rebyte.runtime.TestPools.allZero;
import static dev.rebyte.runtime.TestPools.config;
import static dev.rebyte.runtime.TestPools.pool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LeaseTest {
  private final BytePool pool = pool(config().build());

  @Test
  void array_isExactLengthOfZeros() {
    try (Lease lease = pool.lease(6000)) {
      assertEquals(6000, lease.array().length);
      assertTrue(allZero(lease.array()));
      assertFalse(lease.isClosed());
    }
  }

  @Test
  void close_releasesOnceAndClearsWholeArray() {
    Lease lease = pool.lease(8192);
    byte[] a = lease.array();
    Arrays.fill(a, (byte) 0xFF);
    lease.close();
    lease.close(); // no-op, counted nowhere
    PoolStats s = pool.stats();
    assertEquals(1, s.releasesPooled());
    assertEquals(0, s.releasesRejected());
    assertEquals(0, s.outstanding());
    assertTrue(allZero(a));
    try (Lease next = pool.lease(8192)) {
      assertSame(a, next.array());
    }
    assertEquals(1, pool.stats().unknownSite().hits());
  }

  @Test
  void array_afterClose_throws() {
    Lease lease = pool.lease(8192);
    lease.close();
    assertTrue(lease.isClosed());
    assertThrows(IllegalStateException.class, lease::array);
  }

  @Test
  void lease_negative_throwsNegativeArraySize() {
    assertThrows(NegativeArraySizeException.class, () -> pool.lease(-1));
  }

  @Test
  void lease_outsideClasses_bypassesAndDropsOnClose() {
    try (Lease lease = pool.lease(10)) {
      assertEquals(10, lease.array().length);
    }
    PoolStats s = pool.stats();
    assertEquals(1, s.bypasses());
    assertEquals(1, s.releasesDropped());
  }
}
