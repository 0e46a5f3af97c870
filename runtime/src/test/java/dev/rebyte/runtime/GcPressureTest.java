package dev.rebyte.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.MemoryUsage;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GcPressureTest {
  private static MemoryUsage usage(long used, long committed, long max) {
    return new MemoryUsage(0, used, committed, max);
  }

  @Test
  void occupancy_oldGenerationOnly() {
    Map<String, MemoryUsage> after = new HashMap<>();
    after.put("G1 Old Gen", usage(80, 90, 100));
    after.put("G1 Eden Space", usage(0, 50, -1));
    after.put("Metaspace", usage(1000, 1000, -1));
    assertEquals(0.8, GcPressure.occupancy(after, Collections.singleton("G1 Eden Space")), 1e-9);
  }

  @Test
  void occupancy_noOldPool_usesHeapPools_committedWhenNoMax() {
    Map<String, MemoryUsage> after = new HashMap<>();
    after.put("Shenandoah", usage(30, 40, -1));
    after.put("Metaspace", usage(1000, 1000, -1));
    assertEquals(0.75, GcPressure.occupancy(after, Collections.singleton("Shenandoah")), 1e-9);
  }

  @Test
  void occupancy_tenuredAndEmpty() {
    assertEquals(0.5, GcPressure.occupancy(
        Collections.singletonMap("Tenured Gen", usage(50, 60, 100)), Collections.emptySet()), 1e-9);
    assertEquals(0.0, GcPressure.occupancy(Collections.emptyMap(), Collections.emptySet()), 1e-9);
  }

  @Test
  void install_onThisJvm_doesNotThrow() {
    GcPressure.install();
  }
}
