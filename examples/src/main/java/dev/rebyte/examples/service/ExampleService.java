package dev.rebyte.examples.service;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The example service: the JDK's {@code HttpServer} on 127.0.0.1 with the byte[] hot paths real
 * services have. Run it with the agent to see them pooled:
 *
 * <pre>
 * java -javaagent:agent/target/rebyte-agent-0.1.0-SNAPSHOT.jar=config=examples/rebyte.properties \
 *      -jar examples/target/rebyte-examples-0.1.0-SNAPSHOT.jar [--port 8080] [--port-file F]
 *      [--data-dir target/example-data] [--threads 4]
 * </pre>
 *
 * <table>
 *   <caption>Endpoints and their byte[] sites</caption>
 *   <tr><th>endpoint</th><th>site</th></tr>
 *   <tr><td>GET /files/{name}</td><td>{@link FileHandler}: 64 KiB copy buffer</td></tr>
 *   <tr><td>POST /upload</td><td>{@link UploadHandler}: 8 KiB buffer into SHA-256</td></tr>
 *   <tr><td>POST /echo</td><td>{@link EchoHandler}: {@code new byte[contentLength]}</td></tr>
 *   <tr><td>POST /gzip</td><td>{@link IoStreams#copy}: 8 KiB buffer into {@code GZIPOutputStream}</td></tr>
 *   <tr><td>GET /blobs/{name}</td><td>{@link BlobHandler}: the whole blob, 1-4 MiB</td></tr>
 *   <tr><td>POST /blobs</td><td>{@link BlobHandler}: 1 MiB chunk buffer</td></tr>
 *   <tr><td>GET /stats, POST /shutdown</td><td>allocation, GC and pool counters; stop</td></tr>
 * </table>
 *
 * Requests run on a fixed pool of worker threads that live as long as the service, so the per-thread
 * allocation counters cover every request (see {@link ServiceStats}).
 */
public final class ExampleService {
  private ExampleService() {}

  public static void main(String[] args) throws Exception {
    int port = 8080;
    int threads = 4;
    Path portFile = null;
    Path dataDir = Paths.get("target", "example-data");
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--port": port = Integer.parseInt(value); i++; break;
        case "--threads": threads = Integer.parseInt(value); i++; break;
        case "--port-file": portFile = Paths.get(value); i++; break;
        case "--data-dir": dataDir = Paths.get(value); i++; break;
        default:
          System.err.println("usage: ExampleService [--port N (0: any)] [--port-file F] [--data-dir D] [--threads N]");
          System.exit(2);
      }
    }
    DataStore store = DataStore.open(dataDir);
    // responses are written as head, then body: without TCP_NODELAY small bodies wait for a delayed ACK
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    AtomicInteger workers = new AtomicInteger();
    ExecutorService executor = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "http-worker-" + workers.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    for (int i = 0; i < threads; i++) {
      executor.execute(() -> { }); // start every worker now: they all live for the whole run
    }
    CountDownLatch stop = new CountDownLatch(1);
    ServiceStats stats = new ServiceStats();
    server.createContext("/files/", new FileHandler(store));
    server.createContext("/upload", new UploadHandler());
    server.createContext("/echo", new EchoHandler());
    server.createContext("/gzip", new GzipHandler());
    server.createContext("/blobs", new BlobHandler(store));
    server.createContext("/stats", exchange -> {
      try {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : stats.snapshot().entrySet()) {
          b.append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        Exchanges.sendText(exchange, 200, b.toString());
      } finally {
        exchange.close();
      }
    });
    server.createContext("/shutdown", exchange -> {
      try {
        if (Exchanges.require(exchange, "POST")) {
          Exchanges.sendText(exchange, 200, "stopping\n");
          stop.countDown();
        }
      } finally {
        exchange.close();
      }
    });
    server.createContext("/", exchange -> {
      try {
        Exchanges.sendText(exchange, "/".equals(exchange.getRequestURI().getPath()) ? 200 : 404, index());
      } finally {
        exchange.close();
      }
    });
    server.setExecutor(executor);
    server.start();
    int actual = server.getAddress().getPort();
    if (portFile != null) {
      Path tmp = Files.createTempFile(portFile.toAbsolutePath().getParent(), "port", ".tmp");
      Files.write(tmp, Integer.toString(actual).getBytes(StandardCharsets.US_ASCII));
      Files.move(tmp, portFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
    System.out.println("[example] listening on http://127.0.0.1:" + actual + "/ with " + threads
        + " worker threads (data in " + dataDir + ")");
    // SIGTERM: the hook wakes main and waits (briefly) for it to stop, so "stopped" is printed
    // before the JVM exits.
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stop.countDown();
      try {
        stopped.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "example-stop"));
    stop.await();
    server.stop(0);
    executor.shutdownNow();
    System.out.println("[example] stopped");
    stopped.countDown();
  }

  private static String index() {
    return "Rebyte example service\n"
        + "GET  /files/{small.bin,medium.bin,large.bin}   64 KiB copy buffer\n"
        + "POST /upload                                   8 KiB buffer into SHA-256\n"
        + "POST /echo                                     new byte[contentLength]\n"
        + "POST /gzip                                     8 KiB buffer into GZIPOutputStream\n"
        + "GET  /blobs/{photo-1.jpg,scan-2.pdf,video-3.mp4,backup-4.tar}  whole blob, 1-4 MiB\n"
        + "POST /blobs                                    1 MiB chunks, one SHA-256 each\n"
        + "GET  /stats                                    allocation, GC and pool counters\n"
        + "POST /shutdown                                 stop\n";
  }
}
