package dev.rebyte.examples.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;

/**
 * A bounded load driver for the example service: a few client threads on keep-alive connections to
 * 127.0.0.1 only, the {@link Workload} mix, a request limit and a time limit (whichever comes first),
 * an optional warm-up, and a check of every response against what the request must produce.
 *
 * <pre>
 * java -cp examples/target/rebyte-examples-0.1.0-SNAPSHOT.jar dev.rebyte.examples.load.LoadDriver \
 *      --port 8080 [--threads 3] [--requests 1000000] [--duration 20s] [--warmup 0s] [--seed 1] [--stats]
 *      [--summary]
 * </pre>
 *
 * Prints {@code [load] key=value ...} lines (the end-to-end harness reads them): totals, latency
 * percentiles, per-kind counts; with {@code --stats}, the service's {@code /stats} just before and
 * after the measured phase ({@code [stats-before]}, {@code [stats-after]}). With {@code --summary},
 * two lines for people instead ({@link #summary}), as {@code examples/run.sh} prints them. Exit
 * status 1 when any request failed or any response was wrong. The measured requests are always
 * numbers 0..N-1, so with a request limit (and no time limit reached) the {@code fingerprint}, the
 * sum of the response checksums, does not depend on timing.
 */
public final class LoadDriver {
  private static final int MAX_REQUESTS = 10_000_000;
  private static final long WARMUP_BASE = 1L << 40; // warm-up requests use other numbers

  /** What to run. */
  public static final class Options {
    public int port = 8080;
    public int threads = 3;
    public long requests = 1_000_000;
    public Duration duration = Duration.ofSeconds(20);
    public Duration warmup = Duration.ZERO;
    public long seed = 1;
    public boolean stats;
    public boolean summary;
  }

  /** What happened in the measured phase. */
  public static final class Result {
    public long requests;
    public long errors;
    public long mismatches;
    public long fingerprint;
    public double seconds;
    public long[] latencyNanos = new long[0];
    public final Map<String, long[]> latencyByKind = new LinkedHashMap<>();
    public final Map<String, Long> bytesSentByKind = new LinkedHashMap<>();
    public Map<String, String> statsBefore = Map.of();
    public Map<String, String> statsAfter = Map.of();
    public final List<String> problems = new ArrayList<>();

    public double throughput() {
      return seconds > 0 ? requests / seconds : 0;
    }

    /** Latency percentile in milliseconds (0 <= p <= 100). */
    public static double percentileMillis(long[] sorted, double p) {
      if (sorted.length == 0) {
        return 0;
      }
      int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
      return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }
  }

  private final Options options;
  private final Workload workload;

  public LoadDriver(Options options) {
    this.options = options;
    this.workload = new Workload(options.seed);
  }

  public static void main(String[] args) throws Exception {
    Options o = new Options();
    for (int i = 0; i < args.length; i++) {
      String v = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--port": o.port = Integer.parseInt(v); i++; break;
        case "--threads": o.threads = Integer.parseInt(v); i++; break;
        case "--requests": o.requests = Long.parseLong(v); i++; break;
        case "--duration": o.duration = seconds(v); i++; break;
        case "--warmup": o.warmup = seconds(v); i++; break;
        case "--seed": o.seed = Long.parseLong(v); i++; break;
        case "--stats": o.stats = true; break;
        case "--summary": o.summary = true; break;
        default:
          System.err.println("usage: LoadDriver [--port N] [--threads N] [--requests N] [--duration 20s]"
              + " [--warmup 0s] [--seed N] [--stats] [--summary]");
          System.exit(2);
      }
    }
    Result r = new LoadDriver(o).run();
    if (o.summary) {
      System.out.print(summary(r, o));
      r.problems.forEach(p -> System.err.println("[load] problem: " + p));
    } else {
      print(r);
    }
    System.exit(r.errors == 0 && r.mismatches == 0 ? 0 : 1);
  }

  private static Duration seconds(String v) {
    return Duration.ofMillis((long) (Double.parseDouble(v.endsWith("s") ? v.substring(0, v.length() - 1) : v) * 1000));
  }

  /** Warms up, then runs the measured phase; never throws for a failed request (it is counted). */
  public Result run() throws IOException, InterruptedException {
    if (options.threads < 1 || options.threads > 16 || options.requests < 0 || options.requests > MAX_REQUESTS) {
      throw new IllegalArgumentException("threads 1-16, requests 0-" + MAX_REQUESTS);
    }
    if (!options.warmup.isZero()) {
      phase(WARMUP_BASE, Long.MAX_VALUE, options.warmup, new Result());
    }
    Result result = new Result();
    if (options.stats) {
      result.statsBefore = stats();
    }
    long start = System.nanoTime();
    phase(0, options.requests, options.duration, result);
    result.seconds = (System.nanoTime() - start) / 1e9;
    if (options.stats) {
      result.statsAfter = stats();
    }
    return result;
  }

  /** Runs request numbers first, first+1, ... on all threads until {@code limit} requests or {@code duration}. */
  private void phase(long first, long limit, Duration duration, Result result) throws InterruptedException {
    long deadline = System.nanoTime() + duration.toNanos();
    AtomicLong next = new AtomicLong();
    Worker[] workers = new Worker[options.threads];
    for (int t = 0; t < workers.length; t++) {
      workers[t] = new Worker(first, limit, deadline, next);
      workers[t].start();
    }
    List<long[]> all = new ArrayList<>();
    Map<Workload.Kind, List<long[]>> byKind = new LinkedHashMap<>();
    for (Worker w : workers) {
      w.join();
      result.requests += w.count;
      result.errors += w.errors;
      result.mismatches += w.mismatches;
      result.fingerprint += w.fingerprint;
      all.add(Arrays.copyOf(w.latency, w.count));
      for (Workload.Kind k : Workload.Kind.values()) {
        byKind.computeIfAbsent(k, x -> new ArrayList<>()).add(w.latencyOf(k));
        result.bytesSentByKind.merge(k.label, w.bytesSent[k.ordinal()], Long::sum);
      }
      result.problems.addAll(w.problems);
    }
    result.latencyNanos = sorted(all);
    for (Map.Entry<Workload.Kind, List<long[]>> e : byKind.entrySet()) {
      result.latencyByKind.put(e.getKey().label, sorted(e.getValue()));
    }
  }

  private static long[] sorted(List<long[]> parts) {
    long[] out = new long[parts.stream().mapToInt(a -> a.length).sum()];
    int at = 0;
    for (long[] a : parts) {
      System.arraycopy(a, 0, out, at, a.length);
      at += a.length;
    }
    Arrays.sort(out);
    return out;
  }

  private static final AtomicInteger WORKERS = new AtomicInteger();

  /** One client thread. */
  private final class Worker extends Thread {
    final long first;
    final long limit;
    final long deadline;
    final AtomicLong next;
    final byte[] buffer = new byte[64 * 1024];
    final HttpConnection connection = new HttpConnection(options.port);
    long[] latency = new long[1024];
    byte[] kinds = new byte[1024];
    int count;
    long errors;
    long mismatches;
    long fingerprint;
    final long[] bytesSent = new long[Workload.Kind.values().length];
    final List<String> problems = new ArrayList<>();

    Worker(long first, long limit, long deadline, AtomicLong next) {
      super("load-" + WORKERS.incrementAndGet());
      this.first = first;
      this.limit = limit;
      this.deadline = deadline;
      this.next = next;
    }

    @Override
    public void run() {
      while (System.nanoTime() < deadline) {
        long n = next.getAndIncrement();
        if (n >= limit) {
          break;
        }
        Workload.Request r = workload.request(first + n);
        long t0 = System.nanoTime();
        try {
          long crc = send(r);
          if (crc < 0) {
            mismatches++;
            problem(r, "wrong response");
          } else {
            fingerprint += crc;
          }
        } catch (IOException | RuntimeException e) {
          errors++;
          problem(r, e.toString());
        }
        record(r.kind, System.nanoTime() - t0);
        if (r.body != null) {
          bytesSent[r.kind.ordinal()] += r.body.length;
        }
      }
      connection.close();
    }

    private void problem(Workload.Request r, String what) {
      if (problems.size() < 5) {
        problems.add(r.kind.label + " " + r.path + ": " + what);
      }
    }

    private void record(Workload.Kind kind, long nanos) {
      if (count == latency.length) {
        latency = Arrays.copyOf(latency, count * 2);
        kinds = Arrays.copyOf(kinds, count * 2);
      }
      latency[count] = nanos;
      kinds[count++] = (byte) kind.ordinal();
    }

    long[] latencyOf(Workload.Kind kind) {
      long[] out = new long[count];
      int m = 0;
      for (int i = 0; i < count; i++) {
        if (kinds[i] == kind.ordinal()) {
          out[m++] = latency[i];
        }
      }
      return Arrays.copyOf(out, m);
    }

    /** Sends one request; returns the CRC32 of the (decoded) response when it is right, else -1. */
    private long send(Workload.Request r) throws IOException {
      HttpConnection.Response response = connection.exchange(r.body != null ? "POST" : "GET", r.path, r.body);
      CRC32 crc = new CRC32();
      ByteArrayOutputStream text = r.expectedText != null || response.status != 200 ? new ByteArrayOutputStream() : null;
      try (InputStream in = r.kind == Workload.Kind.GZIP && response.status == 200
          ? new GZIPInputStream(response.body, 8192) : response.body) {
        int n;
        while ((n = in.read(buffer)) != -1) {
          crc.update(buffer, 0, n);
          if (text != null) {
            text.write(buffer, 0, n);
          }
        }
        while (response.body.read(buffer) != -1) {
          // the gzip stream stops at its trailer: consume the rest of the body (the last chunk)
        }
      }
      if (response.status != 200) {
        throw new IOException("HTTP " + response.status + " " + text.toString(StandardCharsets.UTF_8).trim());
      }
      boolean right = text != null
          ? r.expectedText.equals(new String(text.toByteArray(), StandardCharsets.UTF_8))
          : crc.getValue() == r.expectedCrc;
      return right ? crc.getValue() : -1;
    }
  }

  private Map<String, String> stats() throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    try (HttpConnection c = new HttpConnection(options.port);
        InputStream in = c.exchange("GET", "/stats", null).body) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          out.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
    }
    return out;
  }

  static void print(Result r) {
    System.out.println(String.format(Locale.ROOT,
        "[load] requests=%d errors=%d mismatches=%d seconds=%.2f throughput=%.1f p50.ms=%.2f p99.ms=%.2f max.ms=%.2f fingerprint=%d",
        r.requests, r.errors, r.mismatches, r.seconds, r.throughput(), Result.percentileMillis(r.latencyNanos, 50),
        Result.percentileMillis(r.latencyNanos, 99), Result.percentileMillis(r.latencyNanos, 100), r.fingerprint));
    for (Map.Entry<String, long[]> e : r.latencyByKind.entrySet()) {
      System.out.println(String.format(Locale.ROOT, "[load] kind=%s requests=%d bytes.sent=%d p50.ms=%.2f p99.ms=%.2f",
          e.getKey().replace(' ', '_'), e.getValue().length, r.bytesSentByKind.getOrDefault(e.getKey(), 0L),
          Result.percentileMillis(e.getValue(), 50), Result.percentileMillis(e.getValue(), 99)));
    }
    for (String p : r.problems) {
      System.err.println("[load] problem: " + p);
    }
    if (!r.statsBefore.isEmpty()) {
      System.out.println("[stats-before] " + join(r.statsBefore));
      System.out.println("[stats-after] " + join(r.statsAfter));
    }
  }

  /**
   * The measured phase for people, two lines: what was sent and whether every response was right,
   * then throughput, latency over all requests, and the request bodies sent in binary units.
   */
  static String summary(Result r, Options o) {
    long sent = r.bytesSentByKind.values().stream().mapToLong(Long::longValue).sum();
    return String.format(Locale.ROOT,
        "Load driver, this run: %d requests in %.1f s on %d client threads, %d failed, %d wrong responses"
            + " (each one checked)%n"
            + "  %.1f requests/s; latency p50 %.2f ms, p99 %.2f ms, max %.2f ms; request bodies sent %s%n",
        r.requests, r.seconds, o.threads, r.errors, r.mismatches, r.throughput(),
        Result.percentileMillis(r.latencyNanos, 50), Result.percentileMillis(r.latencyNanos, 99),
        Result.percentileMillis(r.latencyNanos, 100), Units.bytes(sent));
  }

  private static String join(Map<String, String> m) {
    StringBuilder b = new StringBuilder();
    m.forEach((k, v) -> b.append(b.length() == 0 ? "" : " ").append(k).append('=').append(v.replace(' ', '_')));
    return b.toString();
  }
}
