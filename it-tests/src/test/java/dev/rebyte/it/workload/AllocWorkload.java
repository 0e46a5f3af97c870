package dev.rebyte.it.workload;

import java.util.Arrays;

/**
 * A workload whose hottest byte[] site is known, for {@code AdviseIT}: {@link #hot} allocates
 * 64 KiB per call in a tight loop and never lets the array go (the agent pools it); {@link #kept}
 * stores its array in a static field (rejected); {@link #copied} gets its array from
 * {@code Arrays.copyOf} (a JDK helper, not a site of ours). Runs for {@code args[0]} milliseconds.
 */
public final class AllocWorkload {
  static byte[] last;

  private AllocWorkload() {}

  public static void main(String[] args) {
    long deadline = System.nanoTime() + Long.parseLong(args[0]) * 1_000_000L;
    long sum = 0;
    int rounds = 0;
    while (System.nanoTime() < deadline) {
      for (int i = 0; i < 20; i++) {
        sum += hot(i);
      }
      sum += kept(rounds);
      sum += copied(rounds);
      rounds++;
    }
    System.out.println("rounds " + rounds + " sum " + sum);
  }

  static long hot(int seed) {
    byte[] buffer = new byte[64 * 1024];
    for (int i = 0; i < buffer.length; i += 256) {
      buffer[i] = (byte) (seed + i);
    }
    long s = 0;
    for (int i = 0; i < buffer.length; i += 256) {
      s += buffer[i];
    }
    return s;
  }

  static long kept(int seed) {
    last = new byte[16 * 1024];
    last[seed & 1023] = (byte) seed;
    return last[0];
  }

  static long copied(int seed) {
    byte[] small = {(byte) seed, 2, 3};
    return Arrays.copyOf(small, 12 * 1024)[0];
  }
}
