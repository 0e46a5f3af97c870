package dev.rebyte.examples.load;

import dev.rebyte.examples.data.Content;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

/**
 * The request mix. Request number {@code i} is a pure function of the seed and {@code i}, so a run of
 * N requests sends the same requests in any thread interleaving, and its {@link LoadDriver} fingerprint
 * (the sum of the response checksums) is the same with and without the agent.
 *
 * <table>
 *   <caption>Mix</caption>
 *   <tr><th>kind</th><th>share</th><th>bodies</th></tr>
 *   <tr><td>GET /files/{name}</td><td>30%</td><td>16 KiB, 256 KiB, 1 MiB responses</td></tr>
 *   <tr><td>POST /upload</td><td>15%</td><td>16-512 KiB</td></tr>
 *   <tr><td>POST /echo</td><td>15%</td><td>2-64 KiB, a length per request</td></tr>
 *   <tr><td>POST /gzip</td><td>10%</td><td>8-128 KiB of text</td></tr>
 *   <tr><td>GET /blobs/{name}</td><td>20%</td><td>1.0, 2.1, 2.95, 3.87 MB responses</td></tr>
 *   <tr><td>POST /blobs</td><td>10%</td><td>1-4 MiB</td></tr>
 * </table>
 */
final class Workload {
  enum Kind {
    FILE("GET /files", 30), UPLOAD("POST /upload", 15), ECHO("POST /echo", 15), GZIP("POST /gzip", 10),
    BLOB_GET("GET /blobs", 20), BLOB_POST("POST /blobs", 10);

    final String label;
    final int weight;

    Kind(String label, int weight) {
      this.label = label;
      this.weight = weight;
    }
  }

  /** One request: what to send and what the response must be. */
  static final class Request {
    final Kind kind;
    final String path;
    final byte[] body; // null for GET
    /** CRC32 of the (decompressed) response body, or -1 when {@link #expectedText} is used. */
    final long expectedCrc;
    final String expectedText;

    Request(Kind kind, String path, byte[] body, long expectedCrc, String expectedText) {
      this.kind = kind;
      this.path = path;
      this.body = body;
      this.expectedCrc = expectedCrc;
      this.expectedText = expectedText;
    }
  }

  private static final int ECHO_MIN = 2 << 10;
  private static final int ECHO_MAX = 64 << 10;

  private final long seed;
  private final List<Request> files = new ArrayList<>();
  private final List<Request> uploads = new ArrayList<>();
  private final byte[] echoSource;
  private final List<Request> gzips = new ArrayList<>();
  private final List<Request> blobGets = new ArrayList<>();
  private final List<Request> blobPosts = new ArrayList<>();

  Workload(long seed) {
    this.seed = seed;
    for (Content.Item item : Content.FILES) {
      files.add(new Request(Kind.FILE, "/files/" + item.name, null, crc(item.bytes()), null));
    }
    for (Content.Item item : Content.BLOBS) {
      blobGets.add(new Request(Kind.BLOB_GET, "/blobs/" + item.name, null, crc(item.bytes()), null));
    }
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < 16; i++) {
      byte[] body = Content.binary(random.nextLong(), between(random, 16 << 10, 512 << 10));
      uploads.add(new Request(Kind.UPLOAD, "/upload", body, -1, hex(sha256(body, 0, body.length)) + " " + body.length + "\n"));
    }
    echoSource = Content.binary(random.nextLong(), ECHO_MAX);
    for (int i = 0; i < 12; i++) {
      byte[] body = Content.text(random.nextLong(), between(random, 8 << 10, 128 << 10));
      gzips.add(new Request(Kind.GZIP, "/gzip", body, crc(body), null));
    }
    for (int i = 0; i < 6; i++) {
      byte[] body = Content.binary(random.nextLong(), between(random, 1 << 20, 4 << 20));
      StringBuilder answer = new StringBuilder();
      for (int off = 0; off < body.length; off += 1 << 20) {
        answer.append(hex(sha256(body, off, Math.min(1 << 20, body.length - off)))).append('\n');
      }
      blobPosts.add(new Request(Kind.BLOB_POST, "/blobs", body, -1, answer.append(body.length).append('\n').toString()));
    }
  }

  /** Request number {@code index}. */
  Request request(long index) {
    long h = mix(seed ^ (index * 0x9E3779B97F4A7C15L));
    int roll = (int) Long.remainderUnsigned(h, 100);
    int pick = (int) ((h >>> 32) & 0x7fffffff);
    Kind kind = null;
    for (Kind k : Kind.values()) {
      if (roll < k.weight) {
        kind = k;
        break;
      }
      roll -= k.weight;
    }
    List<Request> list;
    switch (kind) {
      case FILE: list = files; break;
      case UPLOAD: list = uploads; break;
      case ECHO: return echo(pick);
      case GZIP: list = gzips; break;
      case BLOB_GET: list = blobGets; break;
      default: list = blobPosts; break;
    }
    return list.get(pick % list.size());
  }

  /**
   * Echo bodies have a length of their own per request (2-64 KiB), like real request bodies: the
   * case exact mode cannot serve from the pool unless the same length comes back.
   */
  private Request echo(int pick) {
    byte[] body = Arrays.copyOf(echoSource, ECHO_MIN + pick % (ECHO_MAX - ECHO_MIN + 1));
    return new Request(Kind.ECHO, "/echo", body, crc(body), null);
  }

  private static int between(SplittableRandom random, int min, int max) {
    return min + random.nextInt(max - min + 1);
  }

  private static long mix(long z) { // SplitMix64 finaliser
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  static long crc(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, bytes.length);
    return crc.getValue();
  }

  private static byte[] sha256(byte[] bytes, int off, int len) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(bytes, off, len);
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] bytes) {
    StringBuilder b = new StringBuilder();
    for (byte x : bytes) {
      b.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
    }
    return b.toString();
  }

  static String text(byte[] bytes, int length) {
    return new String(bytes, 0, length, StandardCharsets.UTF_8);
  }
}
