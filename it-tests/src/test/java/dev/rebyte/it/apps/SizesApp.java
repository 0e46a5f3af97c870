package dev.rebyte.it.apps;

/**
 * Prints what {@code new byte[n]} does for n = -1, 0 and Integer.MAX_VALUE (and one length the pool
 * serves) at sites the agent rewrites: each site is a local buffer that never escapes.
 */
public final class SizesApp {
  public static void main(String[] args) {
    for (int n : new int[] {-1, 0, Integer.MAX_VALUE, Integer.MAX_VALUE - 2, 8192}) {
      try {
        System.out.println("n=" + n + " -> length " + sum(n));
      } catch (Throwable t) {
        System.out.println("n=" + n + " -> " + t.getClass().getName() + ": " + t.getMessage());
      }
    }
    PoolStats.print();
  }

  /** A pooled site: the array is only indexed and measured. */
  static int sum(int n) {
    byte[] b = new byte[n];
    int s = b.length;
    for (int i = 0; i < b.length && i < 16; i++) {
      s += b[i];
    }
    return s;
  }
}
