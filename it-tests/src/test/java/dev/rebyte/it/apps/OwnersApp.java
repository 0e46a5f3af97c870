package dev.rebyte.it.apps;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.zip.CRC32;

/**
 * Owner-scoped buffers in a real JVM: {@link Framer} keeps a 16 KiB frame in a private field from
 * its constructor to close(). Standard output is the same with and without the agent. On standard
 * error: {@code [app] use after close: <what happened>}, the pool statistics, and the leak lines
 * of the owners it never closes.
 */
public final class OwnersApp {
  /** Frames bytes into an output stream through its own buffer; owner of {@code frame}. */
  static final class Framer implements Closeable {
    private final byte[] frame;
    private final OutputStream out;
    private int used;

    Framer(OutputStream out) {
      this.out = out;
      this.frame = new byte[16384];
    }

    void write(byte[] data, int off, int len) throws IOException {
      while (len > 0) {
        int n = Math.min(len, frame.length - used);
        System.arraycopy(data, off, frame, used, n);
        used += n;
        off += n;
        len -= n;
        if (used == frame.length) {
          flushFrame();
        }
      }
    }

    private void flushFrame() throws IOException {
      CRC32 crc = new CRC32();
      crc.update(frame, 0, used);
      out.write((int) crc.getValue());
      out.write(frame, 0, used);
      used = 0;
    }

    /** Reads the first byte of the frame: after close(), without the agent, still the old frame. */
    int peek() {
      return frame[0];
    }

    @Override
    public void close() throws IOException {
      if (used > 0) {
        flushFrame();
      }
    }
  }

  private OwnersApp() {}

  public static void main(String[] args) throws Exception {
    run(args.length > 0 ? Integer.parseInt(args[0]) : 2000);
    PoolStats.print(); // after run() returned: its own arrays are back in the pool
  }

  private static void run(int rounds) throws Exception {
    byte[] data = new byte[40_000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 31 + (i >>> 7));
    }
    CRC32 total = new CRC32();
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    for (int r = 0; r < rounds; r++) {
      sink.reset();
      try (Framer f = new Framer(sink)) {
        f.write(data, 0, data.length - r % 1000);
      }
      total.update(sink.toByteArray());
    }
    System.out.println("framed " + rounds + " crc " + total.getValue());

    Framer twice = new Framer(sink);
    twice.write(data, 0, 100);
    twice.close();
    twice.close();
    System.out.println("closed twice");

    try {
      System.err.println("[app] use after close: ok " + twice.peek());
    } catch (RuntimeException e) {
      System.err.println("[app] use after close: " + e.getClass().getName());
    }

    concurrentClose(sink, 500);
    System.out.println("closed concurrently");

    neverClosed(sink, 64);
  }

  /** Two threads close each of {@code n} owners at the same time. */
  private static void concurrentClose(OutputStream sink, int n) throws Exception {
    List<Framer> owners = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      owners.add(new Framer(sink));
    }
    CountDownLatch start = new CountDownLatch(1);
    Runnable closer = () -> {
      try {
        start.await();
        for (Framer f : owners) {
          f.close();
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
    Thread a = new Thread(closer);
    Thread b = new Thread(closer);
    a.start();
    b.start();
    start.countDown();
    a.join();
    b.join();
  }

  /** Drops {@code n} owners without closing them, then lets the GC find them (leaks, with the agent). */
  private static void neverClosed(OutputStream sink, int n) throws Exception {
    for (int i = 0; i < n; i++) {
      new Framer(sink).write(new byte[10], 0, 10);
    }
    Class<?> rebyte;
    try {
      rebyte = Class.forName("dev.rebyte.runtime.Rebyte", true, null);
    } catch (ClassNotFoundException e) {
      return; // no agent: nothing to wait for
    }
    for (int i = 0; i < 100; i++) {
      System.gc();
      Thread.sleep(20);
      Object stats = rebyte.getMethod("stats").invoke(null); // also processes collected trackers
      if ((Long) stats.getClass().getMethod("leaks").invoke(stats) > 0) {
        break;
      }
    }
  }
}
