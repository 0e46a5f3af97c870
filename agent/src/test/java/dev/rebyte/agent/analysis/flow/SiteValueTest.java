package dev.rebyte.agent.analysis.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SiteValueTest {
  @Test
  void union_isSetUnionAndReturnsThisWhenNothingIsAdded() {
    SiteValue a = SiteValue.of(1);
    SiteValue b = SiteValue.of(70);
    SiteValue ab = a.union(b);
    assertArrayEquals(new int[] {1, 70}, ab.sites());
    assertSame(ab, ab.union(a));
    assertTrue(!ab.mayBeForeign() && ab.union(SiteValue.EMPTY_1).mayBeForeign());
    assertEquals(ab, b.union(a));
    assertEquals(ab.hashCode(), b.union(a).hashCode());
    assertTrue(ab.contains(70) && !ab.contains(2));
  }

  @Test
  void onlySite_isTheSiteOfAValueThatCanBeNothingElse() {
    SiteValue a = SiteValue.of(3);
    assertEquals(3, a.onlySite());
    assertEquals(-1, a.union(SiteValue.of(4)).onlySite());
    SiteValue withParameter = a.union(SiteValue.EMPTY_1);
    assertEquals(-1, withParameter.onlySite());
    assertArrayEquals(new int[] {3}, withParameter.sites());
    assertSame(withParameter, withParameter.union(a));
    assertTrue(!withParameter.equals(a) && withParameter.equals(SiteValue.EMPTY_1.union(a)));
  }

  @Test
  void mergingDifferentSizes_givesASingleSlotValue() {
    assertEquals(1, SiteValue.EMPTY_2.union(SiteValue.EMPTY_1).getSize());
    assertEquals(2, SiteValue.EMPTY_2.union(SiteValue.EMPTY_2).getSize());
  }
}
