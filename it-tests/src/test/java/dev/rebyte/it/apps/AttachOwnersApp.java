package dev.rebyte.it.apps;

import java.io.Closeable;

/**
 * A service with owner-scoped buffers to attach to: every 100 ms prints {@code round N checksum C}
 * (C depends only on N, see {@link #work}) and the pool statistics, until the file {@code args[0]}
 * exists or a minute has passed. {@link Framer} keeps a final frame (a Java 11 class file: a late
 * attach cannot make it non-final, so it stays unpooled) and a lazily allocated scratch buffer
 * (pooled by a late attach).
 */
public final class AttachOwnersApp {
  /** Owner of two buffers. */
  static final class Framer implements Closeable {
    private final byte[] frame = new byte[16384];
    private byte[] scratch;

    long fill(int seed) {
      if (scratch == null) {
        scratch = new byte[8192];
      }
      for (int i = 0; i < scratch.length; i++) {
        scratch[i] = (byte) (seed * 7 + i);
      }
      System.arraycopy(scratch, 0, frame, 100, scratch.length);
      long s = 0;
      for (byte b : frame) {
        s = s * 31 + b;
      }
      return s;
    }

    @Override
    public void close() {}
  }

  private AttachOwnersApp() {}

  public static void main(String[] args) throws Exception {
    AttachTargetApp.serve(args[0], AttachOwnersApp::work);
  }

  /** The checksum of one round, as printed. */
  public static long work(int round) {
    long sum = 0;
    for (int i = 0; i < 10; i++) {
      try (Framer f = new Framer()) {
        sum = sum * 31 + f.fill(round * 31 + i);
      }
    }
    return sum;
  }
}
