package dev.rebyte.runtime;

import static dev.rebyte.runtime.TestPools.config;
import static dev.rebyte.runtime.TestPools.pool;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MaintenanceTest {
  private static long period(Duration idleTimeout) {
    return Maintenance.trimPeriodMillis(pool(config().idleTimeout(idleTimeout).build()));
  }

  @Test
  void trimPeriod_isHalfTheIdleTimeout_within50msAnd5s() {
    assertEquals(1000, period(Duration.ofSeconds(2)));
    assertEquals(5000, period(Duration.ofSeconds(10)));
    assertEquals(5000, period(Duration.ofMinutes(5)));
    assertEquals(50, period(Duration.ofMillis(100)));
    assertEquals(50, period(Duration.ofMillis(1)));
  }
}
