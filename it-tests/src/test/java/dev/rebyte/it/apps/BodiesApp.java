package dev.rebyte.it.apps;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.Random;
import java.util.zip.CRC32;

/**
 * Request bodies of varying length read into {@code new byte[length]}: the site rounded mode exists
 * for. Prints a digest of everything it read and wrote, so runs with and without the agent can be
 * compared byte for byte.
 */
public final class BodiesApp {
  public static void main(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 400;
    Random random = new Random(42);
    byte[] source = new byte[256 * 1024];
    random.nextBytes(source);
    MessageDigest all = MessageDigest.getInstance("SHA-256");
    CRC32 echoed = new CRC32();
    OutputStream sink = new OutputStream() {
      @Override
      public void write(int b) {
        echoed.update(b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        echoed.update(b, off, len);
      }
    };
    long lengths = 0;
    for (int r = 0; r < requests; r++) {
      int length = 1024 + random.nextInt(source.length - 1024);
      lengths += handle(new ByteArrayInputStream(source, 0, length), length, all, sink);
    }
    System.out.println("lengths " + lengths);
    System.out.println("sha256 " + hex(all.digest()));
    System.out.println("echo crc " + echoed.getValue());
    PoolStats.print();
  }

  /** Site "handle": a body of the request's length, read whole, digested, echoed. */
  static int handle(InputStream in, int contentLength, MessageDigest digest, OutputStream out)
      throws IOException {
    byte[] body = new byte[contentLength];
    new DataInputStream(in).readFully(body);
    digest.update(body);
    out.write(body);
    return body.length;
  }

  private static String hex(byte[] bytes) {
    StringBuilder b = new StringBuilder();
    for (byte x : bytes) {
      b.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
    }
    return b.toString();
  }
}
