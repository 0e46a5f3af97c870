package dev.rebyte.it.apps;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * A service to attach to: every 100 ms prints {@code round N checksum C} (C depends only on N, see
 * {@link #work}) and the pool statistics ({@code [app-pool] ...}, read from the MBean; {@code none}
 * before the agent is there), until the file {@code args[0]} exists or a minute has passed.
 */
public final class AttachTargetApp {
  private AttachTargetApp() {}

  public static void main(String[] args) throws Exception {
    serve(args[0], AttachTargetApp::work);
  }

  /**
   * Every 100 ms prints {@code round N checksum work(N)} and the pool statistics, until the file
   * {@code stopFile} exists or a minute has passed.
   */
  static void serve(String stopFile, java.util.function.IntToLongFunction work) throws Exception {
    Path stop = Paths.get(stopFile);
    long deadline = System.nanoTime() + 60_000_000_000L;
    for (int round = 0; !Files.exists(stop) && System.nanoTime() < deadline; round++) {
      System.out.println("round " + round + " checksum " + work.applyAsLong(round));
      PoolStats.print();
      Thread.sleep(100);
    }
    System.out.println("stopped");
  }

  /** The checksum of one round, as printed. */
  public static long work(int round) {
    long sum = 0;
    for (int i = 0; i < 20; i++) {
      sum = sum * 31 + checksum(round * 31 + i);
    }
    return sum;
  }

  static long checksum(int seed) {
    byte[] buffer = new byte[32 * 1024];
    for (int i = 0; i < buffer.length; i++) {
      buffer[i] = (byte) (seed * 7 + i);
    }
    long s = 0;
    for (byte b : buffer) {
      s = s * 31 + b;
    }
    return s;
  }
}
