package dev.rebyte.it.apps.codec;

import dev.rebyte.it.apps.PoolStats;
import io.airlift.compress.lz4.Lz4Compressor;
import io.airlift.compress.lz4.Lz4Decompressor;
import io.airlift.compress.zstd.ZstdInputStream;
import io.airlift.compress.zstd.ZstdOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.Inflater;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.deflate.DeflateCompressorInputStream;
import org.apache.commons.compress.compressors.deflate.DeflateCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.lz4.BlockLZ4CompressorInputStream;
import org.apache.commons.compress.compressors.lz4.BlockLZ4CompressorOutputStream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorInputStream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;

/**
 * Differential subject (issue 6): compresses and decompresses generated and real data through
 * gzip, deflate, bzip2, xz, LZ4 (framed and block) with commons-compress and xz, zstd and LZ4 with
 * aircompressor, and gzip/deflate with the JDK's java.util.zip driven by this class's own buffers.
 * Prints one line per (codec, input): the SHA-256 of the compressed bytes and of the round trip, and
 * fails (exit 2) when a round trip differs from its input. Any exception fails the run at once (exit
 * 1, the exception on standard error), except {@link #knownLimit}, which prints an {@code error=}
 * line. Run with and without the agent, the outputs must be byte-identical. Argument: a file of real
 * data (a jar, say).
 */
public final class CodecApp {
  interface Codec {
    byte[] compress(byte[] in) throws IOException;

    byte[] decompress(byte[] in, int originalLength) throws IOException;
  }

  interface StreamFactory<T> {
    T open(T target) throws IOException;
  }

  /**
   * commons-compress's LZ77 matcher (its LZ4 codecs) needs over 10 s per MiB here (C1, two shared
   * cores), so those two codecs get the inputs up to 128 KiB; aircompressor's LZ4 gets all of them.
   */
  static final int LZ77_LIMIT = 128 << 10;

  public static void main(String[] args) throws Exception {
    Map<String, byte[]> inputs = inputs(Files.readAllBytes(Paths.get(args[0])));
    Map<String, Codec> codecs = codecs();
    boolean ok = true;
    for (Map.Entry<String, Codec> c : codecs.entrySet()) {
      for (Map.Entry<String, byte[]> in : inputs.entrySet()) {
        if (c.getKey().startsWith("cc-lz4") && in.getValue().length > LZ77_LIMIT) {
          continue;
        }
        String line;
        try {
          byte[] packed = c.getValue().compress(in.getValue());
          byte[] unpacked = c.getValue().decompress(packed, in.getValue().length);
          boolean same = Arrays.equals(in.getValue(), unpacked);
          ok &= same;
          line = "packed=" + packed.length + " sha256=" + sha256(packed) + " roundtrip="
              + (same ? "ok" : "DIFFERS " + sha256(unpacked));
          if (!same) {
            System.err.println("round trip differs: " + c.getKey() + " " + in.getKey());
          }
        } catch (Exception e) {
          if (!knownLimit(c.getKey(), in.getValue(), e)) {
            throw new IllegalStateException(c.getKey() + " failed on " + in.getKey(), e);
          }
          line = "error=" + e; // recorded: it must be the same with the agent
        }
        System.out.println(c.getKey() + " " + in.getKey() + " " + line);
      }
    }
    PoolStats.print();
    System.exit(ok ? 0 : 2);
  }

  /**
   * A library's own limit, the one failure that is output rather than a failed run: commons-compress
   * 1.28.0's block LZ4 cannot read back the empty input it wrote ({@code IndexOutOfBoundsException:
   * Index: 0, Size: 0}).
   */
  static boolean knownLimit(String codec, byte[] input, Exception e) {
    return codec.equals("cc-lz4-block") && input.length == 0 && e instanceof IndexOutOfBoundsException;
  }

  static Map<String, byte[]> inputs(byte[] real) {
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put("empty", new byte[0]);
    m.put("one-byte", new byte[] {42});
    Random random = new Random(6);
    StringBuilder text = new StringBuilder();
    while (text.length() < 100_000) {
      text.append("line ").append(text.length()).append(": the quick brown fox jumps over the lazy dog ")
          .append(random.nextInt(1000)).append('\n');
    }
    byte[] textBytes = text.toString().getBytes(StandardCharsets.UTF_8);
    m.put("text-100k", textBytes);
    byte[] binary = new byte[50_000];
    random.nextBytes(binary);
    m.put("random-50k", binary);
    m.put("gzipped-text", jdkGzip(textBytes));
    String[] words = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon phi chi psi omega 0 1 2 3 4 5 6 7 8 9 \n".split(" ");
    for (int size : new int[] {4095, 4096, 4097, 8191, 8192, 8193, 65535, 65536, 65537, 1 << 20}) {
      byte[] b = new byte[size];
      Random r = new Random(size);
      int i = 0;
      while (i < size) { // words in random order, a random byte now and then: compressible, not periodic
        byte[] w = (words[r.nextInt(words.length)] + " ").getBytes(StandardCharsets.US_ASCII);
        for (int k = 0; k < w.length && i < size; k++) {
          b[i++] = r.nextInt(64) == 0 ? (byte) r.nextInt() : w[k];
        }
      }
      m.put("mixed-" + size, b);
    }
    m.put("real-jar", Arrays.copyOf(real, Math.min(real.length, 256 << 10)));
    return m;
  }

  static Map<String, Codec> codecs() {
    Map<String, Codec> m = new LinkedHashMap<>();
    m.put("cc-gzip", streams(GzipCompressorOutputStream::new, GzipCompressorInputStream::new));
    m.put("cc-deflate", streams(DeflateCompressorOutputStream::new, DeflateCompressorInputStream::new));
    m.put("cc-bzip2", streams(o -> new BZip2CompressorOutputStream(o, 1), BZip2CompressorInputStream::new));
    m.put("cc-xz", streams(o -> new XZCompressorOutputStream(o, 1), XZCompressorInputStream::new));
    // LZ77 tuned for speed: the default settings take seconds per MiB of repetitive input here
    org.apache.commons.compress.compressors.lz77support.Parameters fast =
        BlockLZ4CompressorOutputStream.createParameterBuilder().tunedForSpeed().build();
    m.put("cc-lz4-framed", streams(o -> new FramedLZ4CompressorOutputStream(o,
        new FramedLZ4CompressorOutputStream.Parameters(FramedLZ4CompressorOutputStream.BlockSize.K64, fast)),
        FramedLZ4CompressorInputStream::new));
    m.put("cc-lz4-block", streams(o -> new BlockLZ4CompressorOutputStream(o, fast), BlockLZ4CompressorInputStream::new));
    m.put("air-zstd", streams(ZstdOutputStream::new, ZstdInputStream::new));
    m.put("air-lz4", new Codec() {
      @Override
      public byte[] compress(byte[] in) {
        Lz4Compressor c = new Lz4Compressor();
        byte[] out = new byte[c.maxCompressedLength(in.length)];
        int n = c.compress(in, 0, in.length, out, 0, out.length);
        return Arrays.copyOf(out, n);
      }

      @Override
      public byte[] decompress(byte[] in, int originalLength) {
        byte[] out = new byte[originalLength];
        int n = new Lz4Decompressor().decompress(in, 0, in.length, out, 0, out.length);
        return Arrays.copyOf(out, n);
      }
    });
    m.put("jdk-gzip", streams(GZIPOutputStream::new, GZIPInputStream::new));
    m.put("jdk-deflater", new Codec() {
      @Override
      public byte[] compress(byte[] in) {
        return deflate(in);
      }

      @Override
      public byte[] decompress(byte[] in, int originalLength) throws IOException {
        return inflate(in);
      }
    });
    return m;
  }

  static Codec streams(StreamFactory<OutputStream> out, StreamFactory<InputStream> in) {
    return new Codec() {
      @Override
      public byte[] compress(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream o = out.open(bytes)) {
          copy(new ByteArrayInputStream(data), o);
        }
        return bytes.toByteArray();
      }

      @Override
      public byte[] decompress(byte[] data, int originalLength) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (InputStream i = in.open(new ByteArrayInputStream(data))) {
          copy(i, bytes);
        }
        return bytes.toByteArray();
      }
    };
  }

  /** The app's own copy loop: its buffer is a rewritten site (pooled). */
  static void copy(InputStream in, OutputStream out) throws IOException {
    byte[] buffer = new byte[8192];
    int n;
    while ((n = in.read(buffer)) > 0) {
      out.write(buffer, 0, n);
    }
  }

  static byte[] deflate(byte[] in) {
    Deflater d = new Deflater(6);
    try {
      d.setInput(in.clone());
      d.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[16384];
      while (!d.finished()) {
        int n = d.deflate(buffer);
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    } finally {
      d.end();
    }
  }

  static byte[] inflate(byte[] in) throws IOException {
    Inflater inf = new Inflater();
    try {
      inf.setInput(in.clone());
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[16384];
      while (!inf.finished()) {
        int n = inf.inflate(buffer);
        if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
          break;
        }
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    } catch (java.util.zip.DataFormatException e) {
      throw new IOException(e);
    } finally {
      inf.end();
    }
  }

  static byte[] jdkGzip(byte[] in) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (GZIPOutputStream o = new GZIPOutputStream(bytes)) {
        o.write(in);
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha256(byte[] b) throws Exception {
    StringBuilder s = new StringBuilder();
    for (byte x : MessageDigest.getInstance("SHA-256").digest(b)) {
      s.append(String.format("%02x", x));
    }
    return s.toString();
  }
}
