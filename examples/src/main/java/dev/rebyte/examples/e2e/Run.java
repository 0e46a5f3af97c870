package dev.rebyte.examples.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The measurements of one service run (one JVM), read from the driver's output and the GC log. */
final class Run {
  final int number;
  final boolean agent;
  final Map<String, String> load = new HashMap<>();
  final Map<String, String> before = new HashMap<>();
  final Map<String, String> after = new HashMap<>();
  final Map<String, Long> echoBytesSent = new HashMap<>();
  String loadBefore = "";
  String loadAfter = "";
  List<GcLog.Pause> pauses = List.of();

  Run(int number, boolean agent) {
    this.number = number;
    this.agent = agent;
  }

  void readDriverOutput(Path file) throws IOException {
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.startsWith("[load] requests=")) {
        parse(line.substring("[load] ".length()), load);
      } else if (line.startsWith("[load] kind=POST_/echo ")) {
        Map<String, String> m = new HashMap<>();
        parse(line.substring("[load] ".length()), m);
        echoBytesSent.put("echo", Long.parseLong(m.get("bytes.sent")));
        load.put("echo.requests", m.get("requests"));
      } else if (line.startsWith("[stats-before] ")) {
        parse(line.substring("[stats-before] ".length()), before);
      } else if (line.startsWith("[stats-after] ")) {
        parse(line.substring("[stats-after] ".length()), after);
      }
    }
    if (!load.containsKey("throughput") || !after.containsKey("uptime.ms")) {
      throw new IOException("the driver printed no result: see " + file);
    }
  }

  private static void parse(String line, Map<String, String> into) {
    for (String part : line.split(" ")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        into.put(part.substring(0, eq), part.substring(eq + 1));
      }
    }
  }

  void readGcLog(Path log) throws IOException {
    pauses = GcLog.pauses(log, number("uptime.ms", before), number("uptime.ms", after));
  }

  double throughput() { return Double.parseDouble(load.get("throughput")); }
  double p50() { return Double.parseDouble(load.get("p50.ms")); }
  double p99() { return Double.parseDouble(load.get("p99.ms")); }
  long requests() { return Long.parseLong(load.get("requests")); }
  long failures() { return Long.parseLong(load.get("errors")) + Long.parseLong(load.get("mismatches")); }
  double allocated() { return delta("alloc.bytes"); }

  double allocatedByHeap() {
    return GcLog.allocatedByHeap(pauses, number("heap.used", before), number("heap.used", after));
  }

  double gcCount() { return pauses.size(); }
  double gcPauseTotal() { return pauses.stream().mapToDouble(p -> p.millis).sum(); }
  double gcPauseMax() { return pauses.stream().mapToDouble(p -> p.millis).max().orElse(0); }
  double humongousGcs() { return pauses.stream().filter(GcLog.Pause::humongous).count(); }

  /** Hits / all acquires in the window; NaN without the agent. */
  double hitRate() {
    if (!after.containsKey("pool.Hits")) {
      return Double.NaN;
    }
    double hits = delta("pool.Hits");
    double all = hits + delta("pool.Misses") + delta("pool.Bypasses");
    return all == 0 ? Double.NaN : hits / all;
  }

  double retained() {
    return after.containsKey("pool.RetainedBytes") ? number("pool.RetainedBytes", after) : Double.NaN;
  }

  /** Acquires at a site in the window that did not hit (misses + bypasses), or NaN. */
  double siteNonHits(String site) {
    String k = "site.dev.rebyte.examples.service." + site;
    if (!after.containsKey(k + ".misses")) {
      return Double.NaN;
    }
    return delta(k + ".misses") + delta(k + ".bypasses");
  }

  double siteAcquires(String site) {
    String k = "site.dev.rebyte.examples.service." + site;
    return siteNonHits(site) + delta(k + ".hits");
  }

  /**
   * Bytes {@code POST /echo} still allocated for its bodies: all the echo bytes received when its
   * site is not pooled (excluded), else those times the share of its acquires that did not hit (the
   * lengths are independent of hit or miss). NaN without the agent.
   */
  double echoAllocated() {
    if (!after.containsKey("pool.Hits")) {
      return Double.NaN;
    }
    double acquires = siteAcquires("EchoHandler.handle");
    double received = echoBytesSent.getOrDefault("echo", 0L);
    if (Double.isNaN(acquires)) {
      return received;
    }
    return acquires == 0 ? 0 : received * siteNonHits("EchoHandler.handle") / acquires;
  }

  private double delta(String key) {
    return number(key, after) - number(key, before);
  }

  private static long number(String key, Map<String, String> m) {
    String v = m.get(key);
    return v == null ? 0 : Long.parseLong(v);
  }
}
