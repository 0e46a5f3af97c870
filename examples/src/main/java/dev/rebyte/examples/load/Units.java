package dev.rebyte.examples.load;

import java.util.Locale;

/**
 * Figures for people, in the units of the agent's dashboard ({@code dashboard.js}): bytes in binary
 * units (B, KiB, MiB, GiB, TiB, powers of 1024) with two decimals under 10 and one above, whole bytes
 * under 1 KiB; percentages with one decimal and a space before {@code %}. Plain text, no colour.
 */
final class Units {
  private static final String[] BYTE_UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};

  private Units() {}

  /** {@code 1669600000} is {@code "1.55 GiB"}, {@code 23700000} {@code "22.6 MiB"}, {@code 512} {@code "512 B"}. */
  static String bytes(long n) {
    double v = n;
    int i = 0;
    while (Math.abs(v) >= 1024 && i < BYTE_UNITS.length - 1) {
      v /= 1024;
      i++;
    }
    return i == 0 ? n + " B" : String.format(Locale.ROOT, v < 10 ? "%.2f %s" : "%.1f %s", v, BYTE_UNITS[i]);
  }

  /** {@code part} of {@code whole} as {@code "98.9 %"}; {@code "-"} when {@code whole} is 0. */
  static String percent(long part, long whole) {
    return whole == 0 ? "-" : String.format(Locale.ROOT, "%.1f %%", 100.0 * part / whole);
  }
}
