package dev.rebyte.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.tukaani.xz.LZMA2Options;

/**
 * Owner-scoped buffers (issue 10) on a real library: one operation compresses {@code size} bytes
 * with commons-compress 1.28.0 and decompresses them again, opening and closing a fresh compressor
 * and decompressor stream each time, as a service that handles one request per stream does. The
 * buffers those streams keep in their fields for their lifetime are what {@code rebyte.owners=true}
 * pools; the benchmark itself is unchanged between the two runs, only the agent is added.
 *
 * <table>
 *   <caption>codecs</caption>
 *   <tr><th>{@code codec}</th><th>streams</th><th>settings</th></tr>
 *   <tr><td>gzip</td><td>{@code GzipCompressorOutputStream}, {@code GzipCompressorInputStream}</td>
 *       <td>defaults (deflate level 6, 512-byte deflate buffer)</td></tr>
 *   <tr><td>xz</td><td>{@code XZCompressorOutputStream} (built with {@code LZMA2Options(1)}),
 *       {@code XZCompressorInputStream}</td>
 *       <td>preset 1 (LZMA2, 1 MiB dictionary, HC4 match finder): the default preset 6 (8 MiB
 *       dictionary, BT4) takes seconds per MiB here</td></tr>
 *   <tr><td>bzip2</td><td>{@code BZip2CompressorOutputStream(out)}, {@code BZip2CompressorInputStream}</td>
 *       <td>defaults (block size 9, i.e. 900 kB blocks, whatever the input size)</td></tr>
 * </table>
 *
 * <p>The input is compressible and deterministic: words in a seeded random order with a random
 * byte now and then (about 3:1 with gzip), generated in {@link #setUp}. The benchmark keeps its own
 * allocation out of B/op: compressed bytes go into a growable buffer that is reset, not replaced
 * ({@link ReusableOutput}), decompression reads from a resettable stream over that buffer
 * ({@link ReusableInput}, mark supported like {@code ByteArrayInputStream}, so the library takes the
 * same paths) into a reused array, which is compared with the input ({@code Arrays.equals}) so that
 * nothing can be optimised away. After warm-up none of them allocates; {@code gc.alloc.rate.norm}
 * is the library's allocation per round trip.
 *
 * <p>Run (from the repository root; {@code benchmarks/run-owners.sh} runs it without and with the
 * agent and prints both side by side):
 *
 * <pre>
 * mvn -B -q -pl agent,benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar CompressBuffersBenchmark -prof gc -rf json -rff without.json
 * java -jar benchmarks/target/benchmarks.jar CompressBuffersBenchmark -prof gc -rf json -rff with.json \
 *     -jvmArgsPrepend "-javaagent:agent/target/rebyte-agent-0.1.0-SNAPSHOT.jar=include=org.apache.commons.compress,org.tukaani.xz;owners=true"
 * </pre>
 *
 * <p>The agent goes into {@code -jvmArgsPrepend} so that it reaches the forks and leaves the
 * {@code @Fork} options below in place. G1 and a fixed, pre-touched 2 GiB heap as in
 * {@link AcquireReleaseBenchmark} (on 2 CPUs the JVM would otherwise pick Serial GC).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-XX:+UseG1GC", "-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@State(Scope.Thread)
public class CompressBuffersBenchmark {

  @Param({"gzip", "xz", "bzip2"})
  public String codec;

  @Param({"65536", "1048576"})
  public int size;

  /** The XZ preset (0-9): 1, see the class comment. */
  static final int XZ_PRESET = 1;

  private byte[] input;
  private byte[] output;
  private final ReusableOutput compressed = new ReusableOutput();
  private final ReusableInput source = new ReusableInput();
  private Codec streams;

  /** Opens one compressor over {@code out} and one decompressor over {@code in}. */
  interface Codec {
    OutputStream compressor(OutputStream out) throws IOException;

    InputStream decompressor(InputStream in) throws IOException;
  }

  @Setup
  public void setUp() throws IOException {
    input = input(size);
    output = new byte[size + 1]; // one spare byte: a decompressor that returns too much is caught
    compressed.ensureCapacity(size + size / 8 + 4096); // incompressible input grows by < 1 % in all three
    streams = codec(codec);
    long packed = roundTrip(); // fails here, not in the measurement, if the codec is broken
    if (packed <= 0 || packed >= size) {
      throw new IllegalStateException(codec + ": " + size + " bytes compressed to " + packed);
    }
  }

  /** Compresses the input into the reused buffer, decompresses it into the reused array, checks it. */
  @Benchmark
  public long roundTrip() throws IOException {
    compressed.reset();
    try (OutputStream out = streams.compressor(compressed)) {
      out.write(input, 0, input.length);
    }
    source.reset(compressed.buffer(), compressed.size());
    int n = 0;
    try (InputStream in = streams.decompressor(source)) {
      int r;
      while (n < output.length && (r = in.read(output, n, output.length - n)) > 0) {
        n += r;
      }
    }
    if (n != input.length || !Arrays.equals(input, 0, n, output, 0, n)) {
      throw new IllegalStateException(codec + ": round trip of " + size + " bytes gave " + n + " different bytes");
    }
    return compressed.size();
  }

  static Codec codec(String name) {
    switch (name) {
      case "gzip":
        return new Codec() {
          @Override
          public OutputStream compressor(OutputStream out) throws IOException {
            return new GzipCompressorOutputStream(out);
          }

          @Override
          public InputStream decompressor(InputStream in) throws IOException {
            return new GzipCompressorInputStream(in);
          }
        };
      case "xz":
        return new Codec() {
          private final LZMA2Options options = lzma2(XZ_PRESET); // the stream copies what it needs

          @Override
          public OutputStream compressor(OutputStream out) throws IOException {
            return XZCompressorOutputStream.builder().setOutputStream(out).setLzma2Options(options).get();
          }

          @Override
          public InputStream decompressor(InputStream in) throws IOException {
            return new XZCompressorInputStream(in);
          }
        };
      case "bzip2":
        return new Codec() {
          @Override
          public OutputStream compressor(OutputStream out) throws IOException {
            return new BZip2CompressorOutputStream(out);
          }

          @Override
          public InputStream decompressor(InputStream in) throws IOException {
            return new BZip2CompressorInputStream(in);
          }
        };
      default:
        throw new IllegalArgumentException("codec " + name + ": expected gzip, xz or bzip2");
    }
  }

  private static LZMA2Options lzma2(int preset) {
    try {
      return new LZMA2Options(preset);
    } catch (IOException e) { // UnsupportedOptionsException: not for presets 0-9
      throw new IllegalArgumentException("xz preset " + preset, e);
    }
  }

  /**
   * {@code size} bytes of words in a seeded random order with a random byte once in 64: compressible
   * but not periodic, and the same in every fork (as {@code CodecApp}'s "mixed" inputs in it-tests).
   */
  static byte[] input(int size) {
    String[] words = ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho "
        + "sigma tau upsilon phi chi psi omega 0 1 2 3 4 5 6 7 8 9 \n").split(" ");
    byte[] b = new byte[size];
    Random r = new Random(size);
    int i = 0;
    while (i < size) {
      byte[] w = (words[r.nextInt(words.length)] + " ").getBytes(StandardCharsets.US_ASCII);
      for (int k = 0; k < w.length && i < size; k++) {
        b[i++] = r.nextInt(64) == 0 ? (byte) r.nextInt() : w[k];
      }
    }
    return b;
  }

  /**
   * A {@code ByteArrayOutputStream} that is reset instead of replaced and exposes its buffer. Not
   * thread-safe (one per benchmark thread); grows only until the largest output has been seen.
   */
  static final class ReusableOutput extends OutputStream {
    private byte[] buf = new byte[0];
    private int count;

    void ensureCapacity(int capacity) {
      if (capacity > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(capacity, 2 * buf.length));
      }
    }

    void reset() {
      count = 0;
    }

    byte[] buffer() {
      return buf;
    }

    int size() {
      return count;
    }

    @Override
    public void write(int b) {
      ensureCapacity(count + 1);
      buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      ensureCapacity(count + len);
      System.arraycopy(b, off, buf, count, len);
      count += len;
    }
  }

  /**
   * A {@code ByteArrayInputStream} that is pointed at new contents instead of replaced. Supports
   * {@code mark}/{@code reset} as {@code ByteArrayInputStream} does, so a library that wraps streams
   * without mark support (gzip's header reader does) behaves as with the usual in-memory stream.
   */
  static final class ReusableInput extends InputStream {
    private byte[] buf = new byte[0];
    private int pos;
    private int count;
    private int mark;

    void reset(byte[] contents, int length) {
      buf = contents;
      count = length;
      pos = 0;
      mark = 0;
    }

    @Override
    public int read() {
      return pos < count ? buf[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos >= count) {
        return len == 0 ? 0 : -1;
      }
      int n = Math.min(len, count - pos);
      System.arraycopy(buf, pos, b, off, n);
      pos += n;
      return n;
    }

    @Override
    public long skip(long n) {
      long k = Math.max(0, Math.min(n, count - pos));
      pos += (int) k;
      return k;
    }

    @Override
    public int available() {
      return count - pos;
    }

    @Override
    public boolean markSupported() {
      return true;
    }

    @Override
    public void mark(int readLimit) {
      mark = pos;
    }

    @Override
    public void reset() {
      pos = mark;
    }
  }
}
