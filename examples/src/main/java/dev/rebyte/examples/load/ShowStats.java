package dev.rebyte.examples.load;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Prints the example service's {@code /stats} for people: the pool's counters, each site's hits and
 * misses, allocation and GC totals, and whether the agent's dashboard answers.
 *
 * <pre>java -cp examples/target/rebyte-examples-0.1.0-SNAPSHOT.jar dev.rebyte.examples.load.ShowStats --port 8080 [--dashboard 9404]</pre>
 */
public final class ShowStats {
  private ShowStats() {}

  public static void main(String[] args) throws IOException {
    int port = 8080;
    int dashboard = 9404;
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (args[i].equals("--port")) {
        port = Integer.parseInt(args[i + 1]);
      } else if (args[i].equals("--dashboard")) {
        dashboard = Integer.parseInt(args[i + 1]);
      }
    }
    Map<String, String> s = new LinkedHashMap<>();
    try (HttpConnection c = new HttpConnection(port); InputStream in = c.exchange("GET", "/stats", null).body) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          s.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
    }
    System.out.println("Service (JVM uptime " + Long.parseLong(s.get("uptime.ms")) / 1000 + " s, Java "
        + s.get("java.version") + "):");
    System.out.printf(Locale.ROOT, "  allocated %.1f MB in total, %s GCs taking %s ms%n",
        Long.parseLong(s.get("alloc.bytes")) / 1e6, s.get("gc.count"), s.get("gc.time.ms"));
    if (!s.containsKey("pool.Hits")) {
      System.out.println("Rebyte pool: " + s.getOrDefault("pool", "none") + " (is the agent attached?)");
    } else {
      long hits = n(s, "pool.Hits");
      long all = hits + n(s, "pool.Misses") + n(s, "pool.Bypasses");
      System.out.printf(Locale.ROOT, "Rebyte pool (JMX dev.rebyte:type=Pool): hits %d, misses %d, bypasses %d (hit rate %.1f%%)%n",
          hits, n(s, "pool.Misses"), n(s, "pool.Bypasses"), all == 0 ? 0.0 : 100.0 * hits / all);
      System.out.printf(Locale.ROOT, "  bytes saved %.1f MB, retained %.1f MB in %d buffers (bound %.1f MB),"
          + " outstanding %d, leaks %d, releases pooled %d / dropped %d / rejected %d%n",
          n(s, "pool.BytesSaved") / 1e6, n(s, "pool.RetainedBytes") / 1e6, n(s, "pool.RetainedBuffers"),
          n(s, "pool.MaxBytes") / 1e6, n(s, "pool.Outstanding"), n(s, "pool.Leaks"), n(s, "pool.ReleasesPooled"),
          n(s, "pool.ReleasesDropped"), n(s, "pool.ReleasesRejected"));
      System.out.println("  per site                          hits   misses bypasses   saved MB");
      for (String key : s.keySet()) {
        if (key.startsWith("site.") && key.endsWith(".hits")) {
          String site = key.substring(0, key.length() - ".hits".length());
          System.out.printf(Locale.ROOT, "  %-30s %8d %8d %8d %10.1f%n", site.substring(site.lastIndexOf('.', site.lastIndexOf('.') - 1) + 1),
              n(s, site + ".hits"), n(s, site + ".misses"), n(s, site + ".bypasses"), n(s, site + ".bytesSaved") / 1e6);
        }
      }
    }
    boolean served = answers(dashboard);
    System.out.println("Dashboard: http://127.0.0.1:" + dashboard + "/   Prometheus: http://127.0.0.1:" + dashboard + "/metrics"
        + (served ? "" : "\n  (nothing answers there: is rebyte.http set, and was the port free? the agent's log says)"));
  }

  private static boolean answers(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static long n(Map<String, String> s, String key) {
    String v = s.get(key);
    return v == null ? 0 : Long.parseLong(v);
  }
}
