package dev.rebyte.agent.config;

import java.time.Duration;
import java.util.Locale;

/**
 * Parses the two value kinds users type by hand: sizes ({@code 4096}, {@code 4k}, {@code 16m},
 * {@code 1g}; binary multiples, case-insensitive, optional trailing {@code b}) and durations
 * ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}; a plain number is seconds).
 *
 * <p>Both throw {@link IllegalArgumentException} with a message that says what is accepted; the
 * caller adds the key, value and source. {@link #formatSize} and {@link #formatDuration} write a
 * value back the way users type it, for the configuration reference ({@link ConfigKey#defaultText}).
 */
final class Units {
  private Units() {}

  static final String SIZE_HINT = "use bytes or a number with k, m or g (e.g. 8192, 4k, 16m)";
  static final String DURATION_HINT = "use a number with ms, s, m or h (e.g. 500ms, 30s, 5m)";

  /** A non-negative size in bytes. */
  static long parseSize(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    if (s.endsWith("b")) {
      s = s.substring(0, s.length() - 1);
    }
    long multiplier = 1;
    if (!s.isEmpty()) {
      switch (s.charAt(s.length() - 1)) {
        case 'k':
          multiplier = 1L << 10;
          break;
        case 'm':
          multiplier = 1L << 20;
          break;
        case 'g':
          multiplier = 1L << 30;
          break;
        default:
          break;
      }
    }
    if (multiplier != 1) {
      s = s.substring(0, s.length() - 1);
    }
    long number = parseDigits(s, SIZE_HINT);
    if (number > Long.MAX_VALUE / multiplier) {
      throw new IllegalArgumentException("too large");
    }
    return number * multiplier;
  }

  /** A duration of at least one millisecond. */
  static Duration parseDuration(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    Duration unit;
    String digits;
    if (s.endsWith("ms")) {
      unit = Duration.ofMillis(1);
      digits = s.substring(0, s.length() - 2);
    } else if (s.endsWith("s")) {
      unit = Duration.ofSeconds(1);
      digits = s.substring(0, s.length() - 1);
    } else if (s.endsWith("m")) {
      unit = Duration.ofMinutes(1);
      digits = s.substring(0, s.length() - 1);
    } else if (s.endsWith("h")) {
      unit = Duration.ofHours(1);
      digits = s.substring(0, s.length() - 1);
    } else {
      unit = Duration.ofSeconds(1);
      digits = s;
    }
    long n = parseDigits(digits, DURATION_HINT);
    if (n == 0) {
      throw new IllegalArgumentException("must be positive");
    }
    try {
      return unit.multipliedBy(n);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("too large");
    }
  }

  /** {@code bytes} in the largest unit that divides it exactly: {@code 4k}, {@code 16m}, {@code 1000}. */
  static String formatSize(long bytes) {
    String[] units = {"g", "m", "k"};
    for (int i = 0; i < units.length; i++) {
      long unit = 1L << (10 * (units.length - i));
      if (bytes != 0 && bytes % unit == 0) {
        return bytes / unit + units[i];
      }
    }
    return Long.toString(bytes);
  }

  /** A whole number of the largest unit that divides it exactly: {@code 30s}, {@code 5m}, {@code 500ms}. */
  static String formatDuration(Duration d) {
    long ms = d.toMillis();
    long[] units = {3_600_000, 60_000, 1_000};
    String[] names = {"h", "m", "s"};
    for (int i = 0; i < units.length; i++) {
      if (ms != 0 && ms % units[i] == 0) {
        return ms / units[i] + names[i];
      }
    }
    return ms + "ms";
  }

  private static long parseDigits(String s, String hint) {
    if (s.startsWith("-")) {
      throw new IllegalArgumentException("must not be negative");
    }
    if (s.isEmpty() || s.length() > 18) {
      throw new IllegalArgumentException(s.isEmpty() ? "not a number; " + hint : "too large");
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        throw new IllegalArgumentException("not understood; " + hint);
      }
    }
    return Long.parseLong(s);
  }
}
