package dev.rebyte.it.apps;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Ordinary byte[] work with known sites. The integration tests assert the decision of each site
 * named here (by method name), and that the printed output is the same with and without the agent.
 */
public final class CopyApp {
  /** An app-defined interface: the analysis cannot know what implementations keep. */
  public interface Sink {
    void accept(byte[] data);
  }

  private byte[] kept;

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    byte[] data = new byte[300_000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 31 + (i >> 7));
    }
    long copied = 0;
    for (int r = 0; r < rounds; r++) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(data.length);
      copied += copyStream(new ByteArrayInputStream(data), out);
    }
    System.out.println("copied " + copied);
    System.out.println("crc " + checksum(data, rounds));
    System.out.println("sha256 " + digest(data));
    System.out.println("gzip round trip " + (gzipRoundTrip(data) == data.length));
    CopyApp app = new CopyApp();
    app.keepInField();
    System.out.println("kept " + app.kept.length);
    System.out.println("sink " + passToSink(d -> { }));
    System.out.println("small " + small());
    PoolStats.print();
  }

  /** Site "copyStream": the classic 8 KiB copy loop; never escapes. */
  static long copyStream(InputStream in, OutputStream out) throws IOException {
    byte[] buffer = new byte[8192];
    long total = 0;
    int n;
    while ((n = in.read(buffer)) > 0) {
      out.write(buffer, 0, n);
      total += n;
    }
    return total;
  }

  /** Site "checksum": filled by System.arraycopy, read by CRC32. */
  static long checksum(byte[] data, int rounds) {
    CRC32 crc = new CRC32();
    for (int r = 0; r < rounds; r++) {
      byte[] chunk = new byte[16384];
      for (int off = 0; off < data.length; off += chunk.length) {
        int len = Math.min(chunk.length, data.length - off);
        System.arraycopy(data, off, chunk, 0, len);
        crc.update(chunk, 0, len);
      }
    }
    return crc.getValue();
  }

  /** Site "digest". */
  static String digest(byte[] data) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    byte[] chunk = new byte[32768];
    for (int off = 0; off < data.length; off += chunk.length) {
      int len = Math.min(chunk.length, data.length - off);
      System.arraycopy(data, off, chunk, 0, len);
      md.update(chunk, 0, len);
    }
    StringBuilder hex = new StringBuilder();
    for (byte b : md.digest()) {
      hex.append(String.format("%02x", b));
    }
    return hex.toString();
  }

  /** Site "gzipRoundTrip": the read buffer of the decompressing side. */
  static int gzipRoundTrip(byte[] data) throws IOException {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(compressed)) {
      gz.write(data);
    }
    int total = 0;
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed.toByteArray()))) {
      byte[] buffer = new byte[4096];
      int n;
      while ((n = in.read(buffer)) > 0) {
        total += n;
      }
    }
    return total;
  }

  /** Site "keepInField": escapes into a field, must be rejected. */
  void keepInField() {
    kept = new byte[8192];
  }

  /** Site "passToSink": handed to an unknown (interface) method, must be rejected. */
  static int passToSink(Sink sink) {
    byte[] data = new byte[8192];
    data[0] = 1;
    sink.accept(data);
    return data[0];
  }

  /** Site "small": below min-size, must be skipped. */
  static int small() {
    byte[] tiny = new byte[64];
    tiny[3] = 7;
    return tiny[3] + tiny.length;
  }
}
