package dev.rebyte.examples.data;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The example's deterministic data: the files and blobs the service serves and the request bodies the
 * driver sends. Both sides generate the same bytes from a name and a seed, so the driver can check
 * every response without a copy of the service's data directory.
 *
 * <p>Not selected by {@code examples/rebyte.properties}: this is test data, not the service's code.
 */
public final class Content {
  /** Files served by {@code GET /files/{name}} through a 64 KiB copy buffer. */
  public static final List<Item> FILES = List.of(
      new Item("small.bin", 16 * 1024), new Item("medium.bin", 256 * 1024), new Item("large.bin", 1024 * 1024));

  /**
   * Blobs served whole by {@code GET /blobs/{name}}: irregular sizes of 1-4 MiB, all humongous on G1
   * with 1 MiB regions ({@code -Xmx} up to 2 GiB), which is where most JVM services run.
   */
  public static final List<Item> BLOBS = List.of(
      new Item("photo-1.jpg", 1_048_000), new Item("scan-2.pdf", 2_100_000),
      new Item("video-3.mp4", 2_950_000), new Item("backup-4.tar", 3_870_000));

  private static final String[] WORDS = ("the quick brown fox jumps over a lazy dog while service logs record "
      + "request id user agent status latency bytes sent received gzip deflate json payload order item "
      + "price quantity customer address city country total").split(" ");

  private Content() {}

  /** A named item of known size. */
  public static final class Item {
    public final String name;
    public final int size;

    Item(String name, int size) {
      this.name = name;
      this.size = size;
    }

    /** The item's bytes (binary, incompressible). */
    public byte[] bytes() {
      return binary(name.hashCode(), size);
    }
  }

  /** {@code size} pseudo-random bytes from {@code seed}. */
  public static byte[] binary(long seed, int size) {
    byte[] out = new byte[size];
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < size; i += 8) {
      long v = random.nextLong();
      for (int j = 0; j < 8 && i + j < size; j++) {
        out[i + j] = (byte) (v >>> (8 * j));
      }
    }
    return out;
  }

  /** About {@code size} bytes of log-like text from {@code seed} (compresses about 4:1), exactly {@code size}. */
  public static byte[] text(long seed, int size) {
    SplittableRandom random = new SplittableRandom(seed);
    StringBuilder b = new StringBuilder(size + 64);
    while (b.length() < size) {
      b.append(WORDS[random.nextInt(WORDS.length)]);
      b.append(random.nextInt(16) == 0 ? '\n' : ' ');
      if (random.nextInt(8) == 0) {
        b.append(random.nextInt(100_000)).append(' ');
      }
    }
    b.setLength(size);
    return b.toString().getBytes(StandardCharsets.US_ASCII);
  }
}
