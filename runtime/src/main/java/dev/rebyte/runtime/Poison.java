package dev.rebyte.runtime;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Debug mode ({@link PoolConfig#poison()}): released arrays are filled with {@code DE AD BE EF}
 * repeated, and checked and zeroed when handed out again, so code that keeps using an array after
 * releasing it reads visible garbage, and code that writes to it is detected at the next hit.
 * A pool in poison mode has one instance, which counts and logs what its hits detect.
 */
final class Poison {
  private static final byte[] PATTERN = {(byte) 0xDE, (byte) 0xAD, (byte) 0xBE, (byte) 0xEF};
  private static final int LOGGED = 5;

  private final AtomicLong useAfterReleaseLogged = new AtomicLong();

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

  /**
   * A hit on {@code a} from class {@code c}: if its pattern was overwritten while it was pooled,
   * counts a use after release on the class (and logs the first few); then zeroes the whole array.
   */
  void checkAndZero(byte[] a, SizeClass c) {
    if (!intact(a)) {
      c.increment(SizeClass.USE_AFTER_RELEASE);
      long n = useAfterReleaseLogged.getAndIncrement();
      if (n < LOGGED) {
        System.err.println("[rebyte] use after release: a pooled byte[" + a.length
            + "] was written to after its release (class " + c.index + ")"
            + (n == LOGGED - 1 ? "; further detections are only counted" : ""));
      }
    }
    Arrays.fill(a, (byte) 0);
  }
}
