package dev.rebyte.agent.http;

import dev.rebyte.agent.config.HttpAddress;
import dev.rebyte.agent.log.AgentLog;
import dev.rebyte.agent.metrics.AgentMeterRegistry;
import dev.rebyte.agent.report.SiteReport;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * The agent's endpoint at {@code rebyte.http=[host:]port} (127.0.0.1 unless a host is given): the
 * agent's own small server ({@link PlainHttpServer}: not the JDK's {@code com.sun.net.httpserver},
 * whose settings belong to the application), two daemon threads, nothing fetched from the network.
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
  private static final String TEXT = "text/plain; charset=utf-8";
  private static final Map<String, String[]> STATIC = Map.of(
      "/", new String[] {"dashboard.html", "text/html; charset=utf-8"},
      "/dashboard.js", new String[] {"dashboard.js", "text/javascript; charset=utf-8"},
      "/dashboard.css", new String[] {"dashboard.css", "text/css; charset=utf-8"});

  private final PlainHttpServer server;
  private final AgentMeterRegistry meters;
  private final StatsJson stats;

  private DashboardServer(HttpAddress address, AgentMeterRegistry meters, StatsJson stats)
      throws IOException {
    this.meters = meters;
    this.stats = stats;
    this.server = new PlainHttpServer(new InetSocketAddress(address.host(), address.port()), this::handle);
  }

  /**
   * Starts the endpoint, or logs why it cannot and returns null.
   *
   * @param config the effective configuration, shown on the dashboard
   */
  public static DashboardServer start(HttpAddress address, SiteReport report, String config) {
    AgentMeterRegistry meters = new AgentMeterRegistry();
    DashboardServer dashboard;
    try {
      dashboard = new DashboardServer(address, meters, new StatsJson(report, config));
    } catch (BindException e) {
      meters.close();
      AgentLog.logNow("rebyte.http=" + address + ": cannot listen there (" + e.getMessage()
          + "; port in use?); no dashboard or /metrics, the application runs on");
      return null;
    } catch (IOException | RuntimeException e) {
      meters.close();
      AgentLog.logNow("rebyte.http=" + address + ": cannot listen there (" + e
          + "); no dashboard or /metrics, the application runs on");
      return null;
    }
    dashboard.server.start();
    AgentLog.logNow("dashboard at http://" + address + "/ (Prometheus: /metrics, JSON: /api/stats)");
    return dashboard;
  }

  public void stop() {
    server.stop();
    meters.close();
  }

  private PlainHttpServer.Response handle(String method, String path) {
    try {
      boolean known = STATIC.containsKey(path) || path.equals("/metrics") || path.equals("/api/stats");
      if (!known) {
        return new PlainHttpServer.Response(404, TEXT, bytes("not found: try /, /metrics or /api/stats\n"));
      }
      if (!method.equals("GET") && !method.equals("HEAD")) {
        return new PlainHttpServer.Response(405, TEXT, bytes("method not allowed: use GET\n"))
            .header("Allow", "GET, HEAD");
      }
      if (path.equals("/metrics")) {
        return new PlainHttpServer.Response(200, AgentMeterRegistry.CONTENT_TYPE, bytes(meters.scrape()));
      }
      if (path.equals("/api/stats")) {
        return new PlainHttpServer.Response(200, "application/json; charset=utf-8", bytes(stats.render()))
            .header("Cache-Control", "no-store");
      }
      String[] asset = STATIC.get(path);
      return new PlainHttpServer.Response(200, asset[1], asset(asset[0]));
    } catch (Throwable t) {
      AgentLog.log("dashboard: " + path + " failed: " + t);
      return new PlainHttpServer.Response(500, TEXT, bytes("internal error; see the [rebyte] log\n"));
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
    return PlainHttpServer.bytes(s);
  }
}
