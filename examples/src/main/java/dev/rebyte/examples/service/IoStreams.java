package dev.rebyte.examples.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** The copy loop every code base has one of. */
final class IoStreams {
  private IoStreams() {}

  /** Copies {@code in} to {@code out} until end of stream; returns the bytes copied. */
  static long copy(InputStream in, OutputStream out) throws IOException {
    byte[] buffer = new byte[8192];
    long total = 0;
    int n;
    while ((n = in.read(buffer)) != -1) {
      out.write(buffer, 0, n);
      total += n;
    }
    return total;
  }
}
