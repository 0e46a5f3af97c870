package dev.rebyte.it.apps;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.CRC32;

/**
 * A service-like loop for the metrics tests: pooled sites that hit (8 KiB copy, 64 KiB frame), a
 * variable-length one, a site that escapes (rejected) and one that sometimes throws after acquiring
 * (a leak once the array is collected), and an owner-scoped buffer ({@link Session}, pooled with
 * {@code owners=true}) whose owner is not closed one round in ten (a leak of its site). Runs for {@code args[0]} seconds (default 30), at a gentle
 * pace so that the build machine's two cores stay usable, and prints {@code ready} once warm.
 */
public final class MetricsWorkloadApp {
  private static final byte[] DATA = new byte[40_000];
  private static byte[] lastEscaped;

  public static void main(String[] args) throws Exception {
    long seconds = args.length > 0 ? Long.parseLong(args[0]) : 30;
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    boolean announced = false;
    for (long round = 0; System.nanoTime() < end; round++) {
      work(round);
      if (!announced) {
        System.out.println("ready");
        System.out.flush();
        announced = true;
      }
      Thread.sleep(5);
    }
    System.out.println("done " + (lastEscaped == null ? 0 : lastEscaped.length));
    PoolStats.print();
  }

  /** One round of byte[] work; public so other test apps can drive it. */
  public static long work(long round) throws IOException {
    long total = 0;
    for (int i = 0; i < 20; i++) {
      total += copy(new ByteArrayInputStream(DATA), new ByteArrayOutputStream(DATA.length));
    }
    total += frame(DATA);
    total += variable(5_000 + (int) (round % 7) * 9_000);
    lastEscaped = escape((int) (round % 3) * 100 + 4096);
    total += session(round);
    try {
      total += mayThrow(round);
    } catch (IllegalStateException expected) {
      total++;
    }
    return total;
  }

  /** Pooled, constant 8 KiB. */
  static long copy(InputStream in, OutputStream out) throws IOException {
    byte[] buffer = new byte[8192];
    long n = 0;
    int r;
    while ((r = in.read(buffer)) > 0) {
      out.write(buffer, 0, r);
      n += r;
    }
    return n;
  }

  /** Pooled, constant 64 KiB. */
  static long frame(byte[] data) {
    byte[] frame = new byte[65536];
    System.arraycopy(data, 0, frame, 0, data.length);
    CRC32 crc = new CRC32();
    crc.update(frame, 0, data.length);
    return crc.getValue();
  }

  /** Pooled, variable length: misses until each length has been seen. */
  static long variable(int length) {
    byte[] b = new byte[length];
    b[length - 1] = 1;
    return b[length - 1] + length;
  }

  /** Rejected: the array escapes through a static field (and the return value: not an allocator). */
  static byte[] escape(int length) {
    byte[] b = new byte[length];
    b[0] = 1;
    lastEscaped = b;
    return b;
  }

  /** Owner-scoped: a session keeps its scratch buffer until closed. */
  static final class Session implements java.io.Closeable {
    private final byte[] scratch = new byte[12288];

    long digest(byte[] data) {
      System.arraycopy(data, 0, scratch, 0, 1000);
      CRC32 crc = new CRC32();
      crc.update(scratch, 0, 1000);
      return crc.getValue();
    }

    @Override
    public void close() {}
  }

  /** One session per round; every 10th is never closed (with owners=true: a leak once collected). */
  static long session(long round) {
    Session s = new Session();
    long digest = s.digest(DATA);
    if (round % 10 != 3) {
      s.close();
    }
    return digest;
  }

  /** Pooled; every 10th call leaves by an exception after acquiring, so the array is never released. */
  static long mayThrow(long round) {
    byte[] b = new byte[16384];
    b[0] = (byte) round;
    if (round % 10 == 0) {
      throw new IllegalStateException("abandoned " + b.length);
    }
    return b[0];
  }
}
