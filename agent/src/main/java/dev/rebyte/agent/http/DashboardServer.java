package dev.rebyte.agent.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.rebyte.agent.config.HttpAddress;
import dev.rebyte.agent.log.AgentLog;
import dev.rebyte.agent.metrics.AgentMeterRegistry;
import dev.rebyte.agent.report.SiteReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agent's endpoint at {@code rebyte.http=[host:]port} (127.0.0.1 unless a host is given): the
 * JDK's {@code com.sun.net.httpserver}, two daemon threads, nothing fetched from the network.
 *
 * <table>
 *   <caption>Routes (GET and HEAD; other methods 405, other paths 404)</caption>
 *   <tr><td>{@code /}</td><td>the live dashboard (HTML, script and style ship in the jar)</td></tr>
 *   <tr><td>{@code /metrics}</td><td>Prometheus text exposition ({@link AgentMeterRegistry})</td></tr>
 *   <tr><td>{@code /api/stats}</td><td>JSON snapshot ({@link StatsJson})</td></tr>
 * </table>
 * Errors answer 500 with one line, never a stack trace. A port already in use is one log line;
 * the application runs on without the endpoint.
 */
public final class DashboardServer {
  private static final String ASSETS = "/dev/rebyte/agent/http/";
  private static final Map<String, String[]> STATIC = Map.of(
      "/", new String[] {"dashboard.html", "text/html; charset=utf-8"},
      "/dashboard.js", new String[] {"dashboard.js", "text/javascript; charset=utf-8"},
      "/dashboard.css", new String[] {"dashboard.css", "text/css; charset=utf-8"});

  private final HttpServer server;
  private final ExecutorService executor;
  private final AgentMeterRegistry meters;

  private DashboardServer(HttpServer server, ExecutorService executor, AgentMeterRegistry meters) {
    this.server = server;
    this.executor = executor;
    this.meters = meters;
  }

  /**
   * Starts the endpoint, or logs why it cannot and returns null.
   *
   * @param config the effective configuration, shown on the dashboard
   */
  public static DashboardServer start(HttpAddress address, SiteReport report, String config) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(address.host(), address.port()), 16);
    } catch (BindException e) {
      AgentLog.logNow("rebyte.http=" + address + ": cannot listen there (" + e.getMessage()
          + "; port in use?); no dashboard or /metrics, the application runs on");
      return null;
    } catch (IOException | RuntimeException e) {
      AgentLog.logNow("rebyte.http=" + address + ": cannot listen there (" + e
          + "); no dashboard or /metrics, the application runs on");
      return null;
    }
    AtomicInteger threads = new AtomicInteger();
    ThreadPoolExecutor executor = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(64),
        task -> {
          Thread t = new Thread(task, "rebyte-http-" + threads.incrementAndGet());
          t.setDaemon(true);
          return t;
        }, new ThreadPoolExecutor.DiscardPolicy());
    executor.allowCoreThreadTimeOut(true);
    AgentMeterRegistry meters = new AgentMeterRegistry();
    StatsJson stats = new StatsJson(report, config);
    DashboardServer dashboard = new DashboardServer(server, executor, meters);
    server.createContext("/", exchange -> dashboard.handle(exchange, stats));
    server.setExecutor(executor);
    server.start();
    AgentLog.logNow("dashboard at http://" + address + "/ (Prometheus: /metrics, JSON: /api/stats)");
    return dashboard;
  }

  /** The port actually bound. */
  public int port() {
    return server.getAddress().getPort();
  }

  public void stop() {
    server.stop(0);
    executor.shutdownNow();
    meters.close();
  }

  private void handle(HttpExchange exchange, StatsJson stats) throws IOException {
    try {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      boolean known = STATIC.containsKey(path) || path.equals("/metrics") || path.equals("/api/stats");
      if (!known) {
        send(exchange, 404, "text/plain; charset=utf-8", bytes("not found: try /, /metrics or /api/stats\n"));
        return;
      }
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(exchange, 405, "text/plain; charset=utf-8", bytes("method not allowed: use GET\n"));
        return;
      }
      if (path.equals("/metrics")) {
        send(exchange, 200, AgentMeterRegistry.CONTENT_TYPE, bytes(meters.scrape()));
      } else if (path.equals("/api/stats")) {
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        send(exchange, 200, "application/json; charset=utf-8", bytes(stats.render()));
      } else {
        String[] asset = STATIC.get(path);
        send(exchange, 200, asset[1], asset(asset[0]));
      }
    } catch (Throwable t) {
      AgentLog.log("dashboard: " + exchange.getRequestURI().getPath() + " failed: " + t);
      try {
        send(exchange, 500, "text/plain; charset=utf-8", bytes("internal error; see the [rebyte] log\n"));
      } catch (IOException | RuntimeException ignored) {
        // headers were sent already: nothing more to say
      }
    } finally {
      exchange.close();
    }
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
    if (!head && body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static byte[] asset(String name) throws IOException {
    try (InputStream in = DashboardServer.class.getResourceAsStream(ASSETS + name)) {
      if (in == null) {
        throw new IOException("missing asset " + name);
      }
      return in.readAllBytes();
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
