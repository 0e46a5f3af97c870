package dev.rebyte.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SiteDecisionsTest {
  private final SiteRegistry sites = new SiteRegistry();
  private final FailSafe errors = new FailSafe(new CurrentPool(new TestPools.ManualClock(), false));
  private final SiteDecisions decisions = new SiteDecisions(sites, errors);

  private void register(SiteMode... modes) {
    for (SiteMode mode : modes) {
      sites.register("com/acme/A", "run", "()V", 1, -1, mode);
    }
  }

  @Test
  void count_everyRewritingModeIsPooled_observedApart() {
    register(SiteMode.EXACT, SiteMode.ROUNDED, SiteMode.ALLOCATOR, SiteMode.OWNED, SiteMode.OBSERVED,
        SiteMode.OBSERVED);
    Map<String, Long> counts = decisions.count();
    assertEquals(Arrays.asList("pooled", "observed"), new ArrayList<>(counts.keySet()));
    assertEquals(4L, counts.get("pooled"));
    assertEquals(2L, counts.get("observed"));
  }

  @Test
  void count_publishedComeAfter_ownCountsWin_nullsSkipped() {
    register(SiteMode.EXACT);
    Map<String, Long> published = new HashMap<>();
    published.put("rejected", 7L);
    published.put("pooled", -5L);
    published.put(null, 1L);
    published.put("skipped", null);
    decisions.publish(() -> published);
    Map<String, Long> counts = decisions.count();
    assertEquals(Arrays.asList("pooled", "observed", "rejected"), new ArrayList<>(counts.keySet()));
    assertEquals(1L, counts.get("pooled"));
    assertEquals(7L, counts.get("rejected"));
    assertThrows(UnsupportedOperationException.class, () -> counts.put("x", 1L));
    decisions.publish(null);
    assertEquals(2, decisions.count().size());
    assertFalse(errors.failed());
  }

  @Test
  void count_sourceThatThrowsOrReturnsNull_addsNothing() {
    decisions.publish(() -> null);
    assertEquals(2, decisions.count().size());
    assertFalse(errors.failed());
    decisions.publish(() -> {
      throw new IllegalStateException("agent broke");
    });
    assertEquals(2, decisions.count().size());
    assertTrue(errors.failed());
  }
}
