package dev.rebyte.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UnitsTest {
  @Test
  void sizes() {
    assertEquals(4096, Units.parseSize("4096"));
    assertEquals(4096, Units.parseSize("4k"));
    assertEquals(4096, Units.parseSize("4K"));
    assertEquals(4096, Units.parseSize("4kb"));
    assertEquals(16L << 20, Units.parseSize("16m"));
    assertEquals(2L << 30, Units.parseSize("2g"));
    assertEquals(0, Units.parseSize("0"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"12q", "", "k", "-4k", "4.5k", "1 k", "99999999999999999999g", "0x10"})
  void badSizes(String text) {
    assertThrows(IllegalArgumentException.class, () -> Units.parseSize(text));
  }

  @Test
  void durations() {
    assertEquals(Duration.ofMillis(500), Units.parseDuration("500ms"));
    assertEquals(Duration.ofSeconds(30), Units.parseDuration("30s"));
    assertEquals(Duration.ofMinutes(5), Units.parseDuration("5m"));
    assertEquals(Duration.ofHours(1), Units.parseDuration("1h"));
    assertEquals(Duration.ofSeconds(7), Units.parseDuration("7"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0s", "-1s", "5x", "ms", "1.5s", ""})
  void badDurations(String text) {
    assertThrows(IllegalArgumentException.class, () -> Units.parseDuration(text));
  }

  /** The reference writes defaults back the way users type them; typed back in, they parse the same. */
  @Test
  void formatting_usesTheLargestExactUnit_andParsesBack() {
    assertEquals("4k", Units.formatSize(4096));
    assertEquals("16m", Units.formatSize(16 << 20));
    assertEquals("2g", Units.formatSize(2L << 30));
    assertEquals("1536", Units.formatSize(1536));
    assertEquals("0", Units.formatSize(0));
    assertEquals("30s", Units.formatDuration(Duration.ofSeconds(30)));
    assertEquals("90s", Units.formatDuration(Duration.ofSeconds(90)));
    assertEquals("5m", Units.formatDuration(Duration.ofMinutes(5)));
    assertEquals("2h", Units.formatDuration(Duration.ofHours(2)));
    assertEquals("1500ms", Units.formatDuration(Duration.ofMillis(1500)));
    for (long size : new long[] {1, 1000, 4096, 5120, 3L << 20, 7L << 30}) {
      assertEquals(size, Units.parseSize(Units.formatSize(size)));
    }
    for (long ms : new long[] {1, 999, 1000, 61_000, 3_600_000}) {
      assertEquals(Duration.ofMillis(ms), Units.parseDuration(Units.formatDuration(Duration.ofMillis(ms))));
    }
  }
}
