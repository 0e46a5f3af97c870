package dev.rebyte.examples.load;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code examples/run.sh} prints for people about the running example service: where to look
 * (with {@code --links}), and the summary of its {@code GET /stats}.
 *
 * <pre>
 * java -cp examples/target/rebyte-examples-0.1.0-SNAPSHOT.jar dev.rebyte.examples.load.ShowStats --port 8080
 * java -cp examples/target/rebyte-examples-0.1.0-SNAPSHOT.jar dev.rebyte.examples.load.ShowStats --links \
 *      --port 8080 [--dashboard 9404] [--report examples/target/rebyte-report.json] [--once]
 * </pre>
 *
 * <p>The summary: the service JVM's allocation and GC counts, then the pool's counters and each
 * site's, every figure since the service started except those marked "now". Bytes are in the
 * dashboard's binary units ({@link Units}); the hit rate is hits / (hits + misses), the dashboard's
 * "since start". {@code --links}: the dashboard, Prometheus, JSON and service URLs, each requested
 * once to say whether it answers at that moment, the site report's path, and until when they answer
 * ({@code --once}: until run.sh stops the service after its summary; else until Ctrl-C).
 *
 * <p>Plain text, no colour: it is read in terminals, CI logs and {@code | cat -v} alike.
 */
public final class ShowStats {
  private ShowStats() {}

  public static void main(String[] args) throws IOException {
    int port = 8080;
    int dashboard = -1;
    String report = null;
    boolean links = false;
    boolean once = false;
    for (int i = 0; i < args.length; i++) {
      String v = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--port": port = Integer.parseInt(v); i++; break;
        case "--dashboard": dashboard = Integer.parseInt(v); i++; break;
        case "--report": report = v; i++; break;
        case "--links": links = true; break;
        case "--once": once = true; break;
        default:
          System.err.println("usage: ShowStats --port PORT [--links [--dashboard PORT] [--report PATH] [--once]]");
          System.exit(2);
      }
    }
    System.out.print(links ? links(port, dashboard, report, once) : summary(stats(port)));
  }

  /** The service's {@code GET /stats}, key by key. */
  static Map<String, String> stats(int port) throws IOException {
    Map<String, String> s = new LinkedHashMap<>();
    try (HttpConnection c = new HttpConnection(port); InputStream in = c.exchange("GET", "/stats", null).body) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          s.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
    }
    return s;
  }

  /** The summary of one {@code /stats} snapshot (see the class comment), lines ending in {@code \n}. */
  static String summary(Map<String, String> s) {
    StringBuilder b = new StringBuilder();
    b.append("Service JVM (Java ").append(s.get("java.version")).append("), since it started ")
        .append(n(s, "uptime.ms") / 1000).append(" s ago:\n");
    boolean pool = s.containsKey("pool.Hits");
    row(b, "heap allocated", Units.bytes(n(s, "alloc.bytes")) + " by "
        + ("total".equals(s.get("alloc.method")) ? "all its threads" : "its live threads")
        + " (the JVM's own count, ThreadMXBean)" + (pool ? ", pool misses included" : ""));
    row(b, "garbage collections", n(s, "gc.count") + " collections, " + n(s, "gc.time.ms") + " ms in total");
    if (!pool) {
      b.append("Rebyte pool: ").append(s.getOrDefault("pool", "none")).append(" (is the agent attached?)\n");
      return b.toString();
    }
    long hits = n(s, "pool.Hits");
    long misses = n(s, "pool.Misses");
    b.append("Rebyte pool (JMX dev.rebyte:type=Pool), since the service started:\n");
    row(b, "hit rate", Units.percent(hits, hits + misses) + " of the " + (hits + misses)
        + " acquires it could serve (hits / (hits + misses), as on the dashboard)");
    row(b, "acquires", hits + " hits, " + misses + " misses, " + n(s, "pool.Bypasses")
        + " bypasses (a length outside the size classes: plain new byte[])");
    row(b, "bytes not allocated", Units.bytes(n(s, "pool.BytesSaved"))
        + " thanks to pool hits (each hit counts the length it asked for)");
    b.append("    (heap allocated + bytes not allocated: about what the service allocates without the agent)\n");
    row(b, "retained now", Units.bytes(n(s, "pool.RetainedBytes")) + " in " + n(s, "pool.RetainedBuffers")
        + " arrays (bound " + Units.bytes(n(s, "pool.MaxBytes")) + ")");
    row(b, "releases", n(s, "pool.ReleasesPooled") + " pooled, " + n(s, "pool.ReleasesDropped")
        + " dropped (not kept), " + n(s, "pool.ReleasesRejected") + " rejected (released twice); outstanding now "
        + n(s, "pool.Outstanding") + "; leaks " + n(s, "pool.Leaks"));
    sites(b, s);
    return b.toString();
  }

  private static void sites(StringBuilder b, Map<String, String> s) {
    List<String> sites = new ArrayList<>();
    int width = 0;
    for (String key : s.keySet()) {
      if (key.startsWith("site.") && key.endsWith(".hits")) {
        String site = key.substring(0, key.length() - ".hits".length());
        sites.add(site);
        width = Math.max(width, shortName(site).length());
      }
    }
    String format = "    %-" + width + "s %8s %8s %8s %20s%n";
    b.append(String.format(Locale.ROOT, "  %-" + (width + 2) + "s %8s %8s %8s %20s%n",
        "per site", "hits", "misses", "bypasses", "bytes not allocated"));
    for (String site : sites) {
      b.append(String.format(Locale.ROOT, format, shortName(site), n(s, site + ".hits"),
          n(s, site + ".misses"), n(s, site + ".bypasses"), Units.bytes(n(s, site + ".bytesSaved"))));
    }
  }

  /** {@code site.dev.rebyte.examples.service.FileHandler.handle} is {@code FileHandler.handle}. */
  private static String shortName(String site) {
    return site.substring(site.lastIndexOf('.', site.lastIndexOf('.') - 1) + 1);
  }

  private static void row(StringBuilder b, String label, String text) {
    b.append(String.format(Locale.ROOT, "  %-20s %s%n", label, text));
  }

  /** Where to look, each URL requested once just now; lines ending in {@code \n}. */
  static String links(int servicePort, int dashboardPort, String report, boolean once) {
    StringBuilder b = new StringBuilder();
    String service = "http://127.0.0.1:" + servicePort;
    if (dashboardPort > 0) {
      String dashboard = "http://127.0.0.1:" + dashboardPort;
      boolean up = answers(dashboardPort, "/");
      link(b, "dashboard", dashboard + "/", up, "live charts of the pool");
      link(b, "metrics", dashboard + "/metrics", answers(dashboardPort, "/metrics"), "Prometheus text");
      link(b, "JSON", dashboard + "/api/stats", answers(dashboardPort, "/api/stats"), "the dashboard's data");
      if (!up) {
        b.append("               (the agent logs \"[rebyte] dashboard at ...\" when it listens,"
            + " \"rebyte.http=...: cannot listen there\" when the port is taken)\n");
      }
    } else {
      b.append(String.format(Locale.ROOT, "  %-12s %s%n", "dashboard", "off: rebyte.http is not set"));
    }
    link(b, "service", service + "/", answers(servicePort, "/"), "its endpoints; /stats: its counters");
    if (report != null) {
      b.append(String.format(Locale.ROOT, "  %-12s %s%n", "site report",
          reportText(report) + " (.json beside it): files, refreshed every 2 s and at exit"));
    }
    b.append(once
        ? "  --once: these answer while the load runs and stop with the service, right after the summary.\n"
        : "  These keep answering after the load, until Ctrl-C stops the service.\n");
    return b.toString();
  }

  /** The agent's rule: {@code r.json} becomes {@code r.txt}, any other name gets {@code .txt} appended. */
  private static String reportText(String json) {
    return (json.endsWith(".json") ? json.substring(0, json.length() - ".json".length()) : json) + ".txt";
  }

  private static void link(StringBuilder b, String label, String url, boolean answers, String what) {
    b.append(String.format(Locale.ROOT, "  %-12s %-32s %s%n", label, url,
        (answers ? "answers" : "DOES NOT ANSWER") + " (" + what + ")"));
  }

  /** Whether {@code GET path} on 127.0.0.1:port answers 200. */
  private static boolean answers(int port, String path) {
    try (HttpConnection c = new HttpConnection(port)) {
      HttpConnection.Response r = c.exchange("GET", path, null);
      r.body.readAllBytes();
      return r.status == 200;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static long n(Map<String, String> s, String key) {
    String v = s.get(key);
    return v == null ? 0 : Long.parseLong(v);
  }
}
