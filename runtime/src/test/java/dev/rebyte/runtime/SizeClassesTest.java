package dev.rebyte.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SizeClassesTest {
  private static final int KIB = 1024;
  private static final int MIB = 1024 * 1024;

  @Test
  void create_defaultsWithoutG1_hasFortyNineGridClasses() {
    SizeClasses t = SizeClasses.create(4 * KIB, 16 * MIB, 0);
    assertEquals(49, t.count());
    assertEquals(-1, t.humongousIndex());
    int[] first = {4096, 5120, 6144, 7168, 8192, 10240, 12288, 14336, 16384, 20480, 24576};
    for (int i = 0; i < first.length; i++) {
      assertEquals(first[i], t.size(i), "class " + i);
    }
    assertEquals(524_288, t.size(28));
    assertEquals(3_670_016, t.size(39));
    assertEquals(16 * MIB, t.size(48));
  }

  @ParameterizedTest
  @CsvSource({"1048576, 524272, 28", "2097152, 1048560, 32", "4194304, 2097136, 36",
      "33554432, 16777200, 48"})
  void create_g1Region_addsClassJustUnderHumongous(long region, int expected, int index) {
    SizeClasses t = SizeClasses.create(4 * KIB, 16 * MIB, region);
    assertEquals(50, t.count());
    assertEquals(index, t.humongousIndex());
    assertEquals(expected, t.size(index));
    // the next class up is the grid value it was inserted before
    assertTrue(t.size(index + 1) > expected && t.size(index - 1) < expected);
    // align8(16 + H) is exactly half a region: the largest non-humongous length
    assertEquals(region / 2, (SizeClasses.ARRAY_HEADER + expected + 7) & ~7L);
    assertTrue(((SizeClasses.ARRAY_HEADER + expected + 1 + 7) & ~7L) > region / 2);
  }

  @Test
  void create_humongousOutsideRange_addsNothing() {
    SizeClasses t = SizeClasses.create(4 * KIB, 256 * KIB, MIB);
    assertEquals(-1, t.humongousIndex());
    assertEquals(SizeClasses.create(4 * KIB, 256 * KIB, 0).count(), t.count());
  }

  @Test
  void create_boundsOffGrid_areClassesThemselves() {
    SizeClasses t = SizeClasses.create(5000, 9000, 0);
    int[] expected = {5000, 5120, 6144, 7168, 8192, 9000};
    assertEquals(expected.length, t.count());
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], t.size(i));
    }
    assertEquals(5000, t.lower(0));
    assertEquals(5001, t.lower(1));
  }

  @Test
  void create_tinyRange_powersOfTwoBelowFour() {
    SizeClasses t = SizeClasses.create(1, 16, 0);
    int[] expected = {1, 2, 4, 5, 6, 7, 8, 10, 12, 14, 16};
    assertEquals(expected.length, t.count());
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], t.size(i));
    }
  }

  @ParameterizedTest
  @CsvSource({"4095, -1", "4096, 0", "4097, 1", "5120, 1", "5121, 2", "8192, 4", "8193, 5",
      "16777216, 48", "16777217, -1", "-1, -1", "0, -1"})
  void classOf_boundaries(int length, int expected) {
    assertEquals(expected, SizeClasses.create(4 * KIB, 16 * MIB, 0).classOf(length));
  }

  @Test
  void classOf_everyLengthLandsInItsClass() {
    SizeClasses t = SizeClasses.create(4 * KIB, 256 * KIB, MIB / 4);
    for (int n = t.min(); n <= t.max(); n += 7) {
      int c = t.classOf(n);
      assertTrue(t.lower(c) <= n && n <= t.size(c), "length " + n + " class " + c);
    }
  }

  @Test
  void humongousLength_matchesNotesTable() {
    assertEquals(524_272, SizeClasses.humongousLength(MIB));
    assertEquals(-1, SizeClasses.humongousLength(0));
    assertEquals(-1, SizeClasses.humongousLength(-5));
  }

  @Test
  void jvmRegionSize_isZeroOrPowerOfTwo() {
    long r = SizeClasses.jvmRegionSize();
    assertTrue(r == 0 || Long.bitCount(r) == 1, "region " + r);
  }
}
