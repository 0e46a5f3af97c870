package dev.rebyte.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebyte.examples.load.LoadDriver;
import dev.rebyte.examples.service.ExampleService;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The example service in a forked JVM, without and with the agent (configured by the example's own
 * {@code rebyte.properties}), under the same short bounded load from its driver: every response is
 * right in both, the fingerprints of the responses are identical, the main handlers' sites are
 * pooled, and the pool serves hits.
 *
 * <p>While the service runs, the example jar's own summaries, as {@code examples/run.sh} prints them
 * (each in a forked JVM): {@code ShowStats --links} says every URL answers, {@code LoadDriver
 * --summary} and {@code ShowStats} label every figure with what it counts and over which window, in
 * the dashboard's binary units, with no colour code.
 */
class ExampleServiceIT {
  private static final Path JAR = Paths.get(System.getProperty("it.examples.jar", "../examples/target/rebyte-examples.jar"));
  private static final Path CONFIG = Paths.get(System.getProperty("it.examples.config", "../examples/rebyte.properties"));
  private static final String PKG = "dev.rebyte.examples.service.";
  private static final int REQUESTS = 150;

  @TempDir Path dir;

  @ParameterizedTest
  @MethodSource("dev.rebyte.it.Jdks#all")
  void exampleService_sameResponses_pooledSites_hits(Path java) throws Exception {
    Served plain = serve(java);
    assertEquals(0, plain.load.errors + plain.load.mismatches, plain.describe());
    assertEquals(REQUESTS, plain.load.requests, plain.describe());
    assertEquals("none", plain.load.statsAfter.get("pool"), plain.describe());

    // the example's own configuration, its dashboard on a free port (tests must not take port 9404)
    Path config = dir.resolve("rebyte.properties");
    Files.write(config, Files.readAllLines(CONFIG).stream().filter(l -> !l.startsWith("rebyte.http"))
        .collect(Collectors.toList()));
    Path report = dir.resolve("report.json");
    int dashboard = Http.freePort();
    Served agent = serve(java, "config=" + config + ";report=" + report + ";http=127.0.0.1:" + dashboard,
        dashboard, report);
    assertEquals(0, agent.load.errors + agent.load.mismatches, agent.describe());
    assertEquals(plain.load.fingerprint, agent.load.fingerprint, "responses differ with the agent" + agent.describe());

    SiteReportFile r = SiteReportFile.read(report);
    assertEquals("POOLED NON_ESCAPING", r.decisionOf(PKG + "FileHandler", "handle"), "64 KiB copy buffer\n" + r.json);
    assertEquals("POOLED NON_ESCAPING", r.decisionOf(PKG + "UploadHandler", "handle"), "8 KiB buffer\n" + r.json);
    assertEquals("POOLED NON_ESCAPING", r.decisionOf(PKG + "IoStreams", "copy"), "8 KiB copy buffer\n" + r.json);
    assertEquals("POOLED NON_ESCAPING", r.decisionOf(PKG + "BlobHandler", "download"), "whole blob\n" + r.json);
    assertEquals("POOLED NON_ESCAPING", r.decisionOf(PKG + "BlobHandler", "upload"), "1 MiB chunk\n" + r.json);
    Map<String, String> echo = r.sitesOf(PKG + "EchoHandler", "handle").get(0);
    assertEquals("POOLED ROUNDED", echo.get("decision") + " " + echo.get("mode"), "body of a request's length\n" + r.json);
    assertEquals(0, r.count("failedClasses"), r.json);

    long hits = Long.parseLong(agent.load.statsAfter.get("pool.Hits"));
    assertTrue(hits > REQUESTS / 2, "pool hits expected" + agent.describe());
    assertEquals("0", agent.load.statsAfter.get("pool.ReleasesRejected"), agent.describe());
    assertTrue(Long.parseLong(agent.load.statsAfter.get("site." + PKG + "BlobHandler.download.hits")) > 0,
        "blob buffers must hit" + agent.describe());

    assertSummaries(plain, agent, dashboard, report);
  }

  private static final String BYTES = "\\d+(\\.\\d{1,2})? (B|KiB|MiB|GiB|TiB)";

  /** What run.sh shows a person: every figure labelled, binary units, URLs that answer, plain text. */
  private static void assertSummaries(Served plain, Served agent, int dashboard, Path report) {
    String links = agent.links;
    String d = "http://127\\.0\\.0\\.1:" + dashboard;
    assertLine(links, "  dashboard +" + d + "/ +answers \\(live charts of the pool\\)");
    assertLine(links, "  metrics +" + d + "/metrics +answers \\(Prometheus text\\)");
    assertLine(links, "  JSON +" + d + "/api/stats +answers \\(the dashboard's data\\)");
    assertLine(links, "  service +http://127\\.0\\.0\\.1:" + agent.port + "/ +answers"
        + " \\(its endpoints; /stats: its counters\\)");
    assertLine(links, "  site report +" + Pattern.quote(report.resolveSibling("report.txt").toString())
        + " \\(\\.json beside it\\): files, refreshed every 2 s and at exit");
    assertLine(links, "  --once: these answer while the load runs and stop with the service,"
        + " right after the summary\\.");

    assertLine(agent.loadSummary, "Load driver, this run: 6 requests in \\d+\\.\\d s on 2 client threads, 0 failed,"
        + " 0 wrong responses \\(each one checked\\)");
    assertLine(agent.loadSummary, "  \\d+\\.\\d requests/s; latency p50 [\\d.]+ ms, p99 [\\d.]+ ms, max [\\d.]+ ms;"
        + " request bodies sent " + BYTES);

    String s = agent.summary;
    assertLine(s, "Service JVM \\(Java [^)]+\\), since it started \\d+ s ago:");
    assertLine(s, "  heap allocated +" + BYTES + " by (all its|its live) threads"
        + " \\(the JVM's own count, ThreadMXBean\\), pool misses included");
    assertLine(s, "  garbage collections +\\d+ collections, \\d+ ms in total");
    assertLine(s, "Rebyte pool \\(JMX dev\\.rebyte:type=Pool\\), since the service started:");
    Matcher rate = assertLine(s, "  hit rate +(\\d+\\.\\d) % of the (\\d+) acquires it could serve"
        + " \\(hits / \\(hits \\+ misses\\), as on the dashboard\\)");
    Matcher acquires = assertLine(s, "  acquires +(\\d+) hits, (\\d+) misses, \\d+ bypasses"
        + " \\(a length outside the size classes: plain new byte\\[\\]\\)");
    long hits = Long.parseLong(acquires.group(1));
    long served = hits + Long.parseLong(acquires.group(2));
    assertEquals(served, Long.parseLong(rate.group(2)), "the rate's acquires are hits + misses\n" + s);
    assertEquals(String.format(Locale.ROOT, "%.1f", 100.0 * hits / served), rate.group(1), "hit rate\n" + s);
    assertLine(s, "  bytes not allocated +" + BYTES
        + " thanks to pool hits \\(each hit counts the length it asked for\\)");
    assertLine(s, "    \\(heap allocated \\+ bytes not allocated:"
        + " about what the service allocates without the agent\\)");
    assertLine(s, "  retained now +" + BYTES + " in \\d+ arrays \\(bound " + BYTES + "\\)");
    assertLine(s, "  releases +\\d+ pooled, \\d+ dropped \\(not kept\\), 0 rejected \\(released twice\\);"
        + " outstanding now \\d+; leaks \\d+");
    assertLine(s, "  per site +hits +misses +bypasses +bytes not allocated");
    for (String site : List.of("FileHandler.handle", "UploadHandler.handle", "EchoHandler.handle",
        "BlobHandler.download", "BlobHandler.upload", "IoStreams.copy")) {
      assertLine(s, "    " + Pattern.quote(site) + " +\\d+ +\\d+ +\\d+ +" + BYTES);
    }

    assertLine(plain.summary, "  heap allocated +" + BYTES + " by .*");
    assertLine(plain.summary, "Rebyte pool: none \\(is the agent attached\\?\\)");

    for (String out : List.of(links, agent.loadSummary, s, plain.summary)) {
      assertFalse(DECIMAL_UNIT.matcher(out).find(), "binary units only (KiB, MiB, GiB), as on the dashboard\n" + out);
      assertFalse(out.contains("\u001b"), "no colour codes\n" + out);
    }
  }

  private static final Pattern DECIMAL_UNIT = Pattern.compile("\\d (kB|KB|MB|GB|TB)\\b");

  /** The line of {@code text} that matches {@code regex} whole; fails with the text when none does. */
  private static Matcher assertLine(String text, String regex) {
    Pattern p = Pattern.compile(regex);
    for (String line : text.split("\\R")) {
      Matcher m = p.matcher(line);
      if (m.matches()) {
        return m;
      }
    }
    throw new AssertionError("no line matches " + regex + " in\n" + text);
  }

  /** One service JVM without the agent under {@link #REQUESTS} requests, then run.sh's summary; stopped. */
  private Served serve(Path java) throws Exception {
    return serve(java, null, 0, null);
  }

  /**
   * One service JVM (agent argument or null) under {@link #REQUESTS} requests, then the summary
   * run.sh prints and, when the agent's dashboard is on ({@code dashboard > 0}), run.sh's links and a
   * short load summary. Stopped afterwards.
   */
  private Served serve(Path java, String agentArgument, int dashboard, Path report) throws Exception {
    Path run = Files.createDirectories(dir.resolve(agentArgument == null ? "plain" : "agent"));
    Path portFile = run.resolve("port");
    ForkedJvm jvm = ForkedJvm.on(java).classPath(List.of(JAR.toAbsolutePath()))
        .main(ExampleService.class, "--port", "0", "--port-file", portFile.toString(),
            "--data-dir", dir.resolve("data").toString(), "--threads", "4");
    if (agentArgument != null) {
      jvm.agent(agentArgument);
    }
    CompletableFuture<ForkedJvm.Result> service = CompletableFuture.supplyAsync(() -> {
      try {
        return jvm.run();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(portFile) && !service.isDone() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    if (!Files.exists(portFile)) {
      throw new AssertionError("the service did not listen" + (service.isDone() ? service.get().describe() : ""));
    }
    int port = Integer.parseInt(new String(Files.readAllBytes(portFile), StandardCharsets.US_ASCII).trim());
    LoadDriver.Options o = new LoadDriver.Options();
    o.port = port;
    o.threads = 3;
    o.requests = REQUESTS;
    o.duration = Duration.ofSeconds(30);
    o.stats = true;
    LoadDriver.Result load;
    String links = null;
    String loadSummary = null;
    String summary;
    try {
      load = new LoadDriver(o).run();
      if (dashboard > 0) {
        links = example(java, "ShowStats", "--links", "--port", "" + port, "--dashboard", "" + dashboard,
            "--report", report.toString(), "--once");
        loadSummary = example(java, "LoadDriver", "--port", "" + port, "--requests", "6", "--threads", "2",
            "--summary");
      }
      summary = example(java, "ShowStats", "--port", "" + port);
    } finally {
      HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/shutdown").toURL().openConnection();
      c.setRequestMethod("POST");
      c.setDoOutput(true);
      try (OutputStream out = c.getOutputStream()) {
        out.flush();
      }
      c.getResponseCode();
    }
    ForkedJvm.Result jvmResult = service.get(60, TimeUnit.SECONDS);
    assertEquals(0, jvmResult.exitCode, jvmResult.describe());
    return new Served(jvmResult, load, port, links, loadSummary, summary);
  }

  /** Standard output of one of the example jar's programs ({@code dev.rebyte.examples.load.<name>}). */
  private static String example(Path java, String name, String... args) throws Exception {
    ForkedJvm.Result r = ForkedJvm.on(java).classPath(List.of(JAR.toAbsolutePath()))
        .main("dev.rebyte.examples.load." + name, args).run();
    assertEquals(0, r.exitCode, r.describe());
    return r.stdout;
  }

  private static final class Served {
    final ForkedJvm.Result jvm;
    final LoadDriver.Result load;
    final int port;
    final String links;
    final String loadSummary;
    final String summary;

    Served(ForkedJvm.Result jvm, LoadDriver.Result load, int port, String links, String loadSummary, String summary) {
      this.jvm = jvm;
      this.load = load;
      this.port = port;
      this.links = links;
      this.loadSummary = loadSummary;
      this.summary = summary;
    }

    String describe() {
      return "\nload: requests=" + load.requests + " errors=" + load.errors + " mismatches=" + load.mismatches
          + " problems=" + load.problems + "\nstats after: " + load.statsAfter + jvm.describe();
    }
  }
}
