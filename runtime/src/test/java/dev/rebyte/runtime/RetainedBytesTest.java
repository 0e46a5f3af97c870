package dev.rebyte.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetainedBytesTest {
  @Test
  void tryAdd_upToTheBoundExactly_neverPast() {
    RetainedBytes bytes = new RetainedBytes(100);
    assertTrue(bytes.tryAdd(60));
    assertFalse(bytes.tryAdd(41));
    assertEquals(60, bytes.get());
    assertTrue(bytes.tryAdd(40));
    assertEquals(100, bytes.get());
    bytes.subtract(30);
    assertEquals(70, bytes.get());
    assertEquals(100, bytes.max());
  }

  @Test
  void tryAdd_zeroBound_refusesAnyByte() {
    assertFalse(new RetainedBytes(0).tryAdd(1));
  }

  @Test
  void tryAdd_concurrent_fillsToTheBoundAndNoFurther() throws InterruptedException {
    RetainedBytes bytes = new RetainedBytes(1000);
    AtomicInteger added = new AtomicInteger();
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      threads[t] = new Thread(() -> {
        for (int i = 0; i < 1000; i++) {
          if (bytes.tryAdd(7)) {
            added.incrementAndGet();
          }
        }
      });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(1000 / 7, added.get());
    assertEquals(1000 / 7 * 7, bytes.get());
  }
}
