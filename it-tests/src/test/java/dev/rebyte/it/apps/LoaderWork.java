package dev.rebyte.it.apps;

/** A selected class with one poolable site: rewritten, it calls {@code dev.rebyte.runtime.Rebyte}. */
public final class LoaderWork {
  private LoaderWork() {}

  public static int run() {
    byte[] buffer = new byte[8192];
    for (int i = 0; i < buffer.length; i++) {
      buffer[i] = (byte) i;
    }
    int sum = 0;
    for (byte b : buffer) {
      sum += b & 0xff;
    }
    return sum;
  }
}
