package dev.rebyte.runtime;

/**
 * Debug mode ({@link PoolConfig#poison()}): released arrays are filled with {@code DE AD BE EF}
 * repeated, and checked and zeroed when handed out again, so code that keeps using an array after
 * releasing it reads visible garbage, and code that writes to it is detected at the next hit.
 */
final class Poison {
  private static final byte[] PATTERN = {(byte) 0xDE, (byte) 0xAD, (byte) 0xBE, (byte) 0xEF};

  private Poison() {}

  static void fill(byte[] a) {
    int n = a.length;
    System.arraycopy(PATTERN, 0, a, 0, Math.min(4, n));
    for (int done = 4; done < n; done *= 2) { // doubling copies: a few arraycopy calls per array
      System.arraycopy(a, 0, a, done, Math.min(done, n - done));
    }
  }

  static boolean intact(byte[] a) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] != PATTERN[i & 3]) {
        return false;
      }
    }
    return true;
  }
}
