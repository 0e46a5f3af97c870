package dev.rebyte.examples.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The end-to-end harness: runs the example service without and with the agent, alternating
 * (A B A B ...), each run in a fresh JVM with the same flags, drives the same bounded load from a
 * separate driver JVM, and writes a markdown report with the medians and the targets.
 *
 * <pre>
 * examples/e2e.sh [--pairs 3] [--warmup 5] [--duration 30] [--threads 3] [--java /path/to/bin/java]
 * </pre>
 *
 * Everything measured in the service is taken inside the driver's measurement window (after the
 * warm-up): bytes allocated from {@code /stats} (ThreadMXBean, see {@code ServiceStats}), GC pauses
 * from the GC log lines between the window's two uptimes, pool counters as deltas.
 */
public final class E2e {
  static final String[] SERVICE_FLAGS = {"-XX:+UseG1GC", "-Xms512m", "-Xmx512m"};
  private static final String SERVICE = "dev.rebyte.examples.service.ExampleService";
  private static final String DRIVER = "dev.rebyte.examples.load.LoadDriver";

  int pairs = 3;
  int warmup = 5;
  int duration = 30;
  int threads = 3;
  Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
  Path agentJar;
  Path config;
  Path jar;
  Path out;

  public static void main(String[] args) throws Exception {
    E2e e = new E2e();
    for (int i = 0; i < args.length; i++) {
      String v = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--pairs": e.pairs = Integer.parseInt(v); i++; break;
        case "--warmup": e.warmup = Integer.parseInt(v); i++; break;
        case "--duration": e.duration = Integer.parseInt(v); i++; break;
        case "--threads": e.threads = Integer.parseInt(v); i++; break;
        case "--java": e.java = Paths.get(v); i++; break;
        case "--agent": e.agentJar = Paths.get(v); i++; break;
        case "--config": e.config = Paths.get(v); i++; break;
        case "--jar": e.jar = Paths.get(v); i++; break;
        case "--out": e.out = Paths.get(v); i++; break;
        default:
          System.err.println("usage: E2e --agent JAR --config FILE --jar EXAMPLES_JAR --out DIR [--pairs 3]"
              + " [--warmup 5] [--duration 30] [--threads 3] [--java PATH]");
          System.exit(2);
      }
    }
    if (e.agentJar == null || e.config == null || e.jar == null || e.out == null || e.pairs < 1) {
      System.err.println("--agent, --config, --jar and --out are required; --pairs at least 1");
      System.exit(2);
    }
    System.exit(e.run() ? 0 : 1);
  }

  boolean run() throws IOException, InterruptedException {
    Files.createDirectories(out);
    String started = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    String loadAtStart = Machine.loadAverage();
    List<Run> runs = new ArrayList<>();
    for (int i = 0; i < 2 * pairs; i++) {
      Run r = runOne(i + 1, i % 2 == 1);
      runs.add(r);
      System.out.printf("[e2e] run %d %-7s %7.1f req/s  p99 %6.1f ms  alloc %8.1f MB  GCs %3.0f  humongous %3.0f  load %s%n",
          r.number, r.agent ? "agent" : "plain", r.throughput(), r.p99(), r.allocated() / 1e6, r.gcCount(),
          r.humongousGcs(), r.loadAfter);
    }
    Report report = new Report(this, runs, started, loadAtStart, Machine.loadAverage());
    Path md = out.resolve("results.md");
    Files.write(md, report.markdown().getBytes(StandardCharsets.UTF_8));
    System.out.println();
    System.out.println(report.markdown());
    System.out.println("[e2e] wrote " + md);
    return runs.stream().allMatch(r -> r.failures() == 0);
  }

  private Run runOne(int number, boolean withAgent) throws IOException, InterruptedException {
    Run run = new Run(number, withAgent);
    Path dir = out.resolve(String.format("run-%02d-%s", number, withAgent ? "agent" : "plain"));
    Files.createDirectories(dir);
    Path portFile = dir.resolve("port");
    Files.deleteIfExists(portFile);
    List<String> service = new ArrayList<>(List.of(java.toString()));
    service.addAll(List.of(SERVICE_FLAGS));
    service.add("-Xlog:gc*:file=" + dir.resolve("gc.log"));
    if (withAgent) {
      service.add("-javaagent:" + agentJar + "=config=" + config + ";report=" + dir.resolve("rebyte-report.json"));
    }
    service.addAll(List.of("-cp", jar.toString(), SERVICE, "--port", "0", "--port-file", portFile.toString(),
        "--data-dir", out.resolve("data").toString(), "--threads", "4"));
    run.loadBefore = Machine.loadAverage();
    Process p = new ProcessBuilder(service).directory(dir.toFile())
        .redirectOutput(dir.resolve("service.out").toFile()).redirectError(dir.resolve("service.err").toFile()).start();
    try {
      int port = awaitPort(p, portFile);
      List<String> driver = List.of(java.toString(), "-XX:+UseSerialGC", "-Xmx512m", "-cp", jar.toString(), DRIVER,
          "--port", Integer.toString(port), "--threads", Integer.toString(threads),
          "--warmup", Integer.toString(warmup), "--duration", Integer.toString(duration), "--stats");
      Path driverOut = dir.resolve("load.txt");
      Process d = new ProcessBuilder(driver).redirectOutput(driverOut.toFile())
          .redirectError(dir.resolve("load.err").toFile()).start();
      if (!d.waitFor(warmup + duration + 120, TimeUnit.SECONDS)) {
        d.destroyForcibly();
        throw new IOException("driver did not finish: see " + dir);
      }
      run.loadAfter = Machine.loadAverage();
      shutdown(port);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        throw new IOException("service did not stop: see " + dir);
      }
      run.readDriverOutput(driverOut);
      run.readGcLog(dir.resolve("gc.log"));
      return run;
    } finally {
      p.destroyForcibly();
    }
  }

  private static int awaitPort(Process p, Path portFile) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (Files.exists(portFile)) {
        return Integer.parseInt(new String(Files.readAllBytes(portFile), StandardCharsets.US_ASCII).trim());
      }
      if (!p.isAlive()) {
        throw new IOException("service exited with " + p.exitValue() + " before listening");
      }
      Thread.sleep(100);
    }
    throw new IOException("service did not listen within 120 s");
  }

  private static void shutdown(int port) throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/shutdown").toURL().openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    try (OutputStream o = c.getOutputStream()) {
      o.flush();
    }
    c.getResponseCode();
    c.disconnect();
  }

  String serviceFlags() {
    return String.join(" ", SERVICE_FLAGS) + " -Xlog:gc*:file=gc.log";
  }
}
