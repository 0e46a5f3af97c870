package dev.rebyte.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The example service in a forked JVM, without and with the agent (configured by the example's own
 * {@code rebyte.properties}), under the same short bounded load from its driver: every response is
 * right in both, the fingerprints of the responses are identical, the main handlers' sites are
 * pooled, and the pool serves hits.
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
    Served plain = serve(java, null);
    assertEquals(0, plain.load.errors + plain.load.mismatches, plain.describe());
    assertEquals(REQUESTS, plain.load.requests, plain.describe());
    assertEquals("none", plain.load.statsAfter.get("pool"), plain.describe());

    // the example's own configuration, minus the dashboard address (tests must not take port 9404)
    Path config = dir.resolve("rebyte.properties");
    Files.write(config, Files.readAllLines(CONFIG).stream().filter(l -> !l.startsWith("rebyte.http"))
        .collect(Collectors.toList()));
    Path report = dir.resolve("report.json");
    Served agent = serve(java, "config=" + config + ";report=" + report);
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
  }

  /** One service JVM (agent argument or null) under {@link #REQUESTS} requests; stopped afterwards. */
  private Served serve(Path java, String agentArgument) throws Exception {
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
    try {
      load = new LoadDriver(o).run();
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
    return new Served(jvmResult, load);
  }

  private static final class Served {
    final ForkedJvm.Result jvm;
    final LoadDriver.Result load;

    Served(ForkedJvm.Result jvm, LoadDriver.Result load) {
      this.jvm = jvm;
      this.load = load;
    }

    String describe() {
      return "\nload: requests=" + load.requests + " errors=" + load.errors + " mismatches=" + load.mismatches
          + " problems=" + load.problems + "\nstats after: " + load.statsAfter + jvm.describe();
    }
  }
}
