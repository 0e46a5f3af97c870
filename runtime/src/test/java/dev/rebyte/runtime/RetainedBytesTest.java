package dev.rebyte.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
  void tryAdd_zeroBound_takesNothingButZero() {
    RetainedBytes none = new RetainedBytes(0);
    assertFalse(none.tryAdd(1));
    assertTrue(none.tryAdd(0));
    assertEquals(0, none.get());
  }
}
