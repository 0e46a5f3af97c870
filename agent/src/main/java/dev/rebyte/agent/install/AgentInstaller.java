package dev.rebyte.agent.install;

import dev.rebyte.agent.decision.Decision;
import dev.rebyte.agent.config.AgentConfig;
import dev.rebyte.agent.config.AgentMode;
import dev.rebyte.agent.config.ConfigException;
import dev.rebyte.agent.config.ConfigLoader;
import dev.rebyte.agent.http.DashboardServer;
import dev.rebyte.agent.log.AgentLog;
import dev.rebyte.agent.metrics.MicrometerAutoBinding;
import dev.rebyte.agent.report.ReportWriter;
import dev.rebyte.agent.report.SiteReport;
import dev.rebyte.agent.transform.ClassTransformer;
import dev.rebyte.agent.transform.SiteRegistrar;
import dev.rebyte.agent.transform.TransformSettings;
import dev.rebyte.runtime.PoolConfig;
import dev.rebyte.runtime.Rebyte;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The real premain, called reflectively by {@code RebyteAgent} once the runtime is on the bootstrap
 * class path. Order: configuration (fail here: log and stop, or throw under strict), runtime pool,
 * report, then the ByteBuddy transformer, then the metrics views (Micrometer auto-binding, the
 * {@code rebyte.http} endpoint). Everything but the strict failure is caught.
 */
public final class AgentInstaller {
  /** The transformer this JVM runs, or null; read and written only under the class lock. */
  private static ActiveInstallation active;

  private AgentInstaller() {}

  /**
   * Installs the agent; with {@code mode=off} removes an installed one and restores the original
   * classes (see {@link ActiveInstallation}). A second start while installed is ignored with a line.
   *
   * @throws StrictConfigFailure when the configuration is invalid and {@code rebyte.strict=true}
   */
  public static synchronized void install(String args, Instrumentation inst, boolean lateAttach) {
    AgentConfig config;
    try {
      List<String> warnings = new ArrayList<>();
      config = ConfigLoader.load(args, systemProperties(), System.getenv(), warnings);
      warnings.forEach(AgentLog::logNow);
    } catch (ConfigException e) {
      for (String error : e.errors()) {
        AgentLog.logNow("config error: " + error);
      }
      if (e.strict()) {
        throw new StrictConfigFailure("[rebyte] invalid configuration (rebyte.strict=true), not starting: "
            + e.getMessage());
      }
      AgentLog.logNow(active != null
          ? "ignoring this start because of " + e.errors().size() + " configuration error(s); the installed agent keeps running"
          : "rewriting disabled because of " + e.errors().size() + " configuration error(s); the application runs unchanged");
      return;
    }
    try {
      AgentLog.logNow("config: " + config.describe());
      if (config.mode() == AgentMode.OFF) {
        if (active == null) {
          AgentLog.logNow("mode=off: nothing installed");
        } else {
          ActiveInstallation stopping = active;
          active = null;
          stopping.reset();
        }
        return;
      }
      if (active != null) {
        AgentLog.logNow("agent already installed in this JVM (" + active.mode()
            + " mode); ignoring the second start (attach with mode=off first to change it)");
        return;
      }
      start(config, inst, lateAttach);
    } catch (Throwable t) {
      AgentLog.logNow("agent failed to start, the application runs without it: " + t);
    }
  }

  private static void start(AgentConfig config, Instrumentation inst, boolean lateAttach) {
    Rebyte.configure(PoolConfig.builder()
        .minSize(config.minSize())
        .maxSize(config.maxSize())
        .maxBytes(config.poolMaxBytes())
        .idleTimeout(config.idleTimeout())
        .leakDetection(config.leakDetection())
        .build());
    TransformSettings settings = TransformSettings.from(config, lateAttach);
    SiteReport report = new SiteReport(config.mode().name().toLowerCase(Locale.ROOT));
    TransformRecorder recorder = new TransformRecorder(report);
    ClassTransformer transformer = new ClassTransformer(settings, SiteRegistrar.RUNTIME);
    ReportWriter writer = new ReportWriter(report, config.report());
    active = new ActiveInstallation(config.mode(), writer, inst,
        TransformerInstallation.install(inst, config.selector(), transformer, recorder,
            new RuntimeVisibility(report), lateAttach));
    writer.start(); // after installing: its first summary must not race ByteBuddy's set-up
    AgentLog.logNow("installed (" + (lateAttach ? "late attach, loaded classes retransformed" : "premain")
        + ", " + config.mode().name().toLowerCase(Locale.ROOT) + " mode)");
    startMetrics(config, inst, report);
  }

  /**
   * Metrics views: the agent's decisions published to the runtime ({@code rebyte.sites}), binding
   * to the application's Micrometer when it has one, and the endpoint when {@code rebyte.http} is
   * set. Each part fails open on its own.
   */
  private static void startMetrics(AgentConfig config, Instrumentation inst, SiteReport report) {
    Rebyte.publishSiteDecisions(() -> {
      SiteReport.Snapshot s = report.snapshot();
      Map<String, Long> counts = new HashMap<>();
      counts.put("rejected", s.count(Decision.REJECTED));
      counts.put("skipped", s.count(Decision.SKIPPED));
      return counts;
    });
    try {
      MicrometerAutoBinding.install(inst);
    } catch (RuntimeException e) {
      AgentLog.logNow("Micrometer auto-binding not installed, the application runs on: " + e);
    }
    if (config.http() != null) {
      // Off the premain thread: the relocated Micrometer and the server take a moment to start.
      Thread t = new Thread(() -> {
        try {
          DashboardServer.start(config.http(), report, config.describe());
        } catch (Throwable e) {
          AgentLog.log("rebyte.http=" + config.http() + ": the endpoint failed to start, the application runs on: " + e);
        }
      }, "rebyte-http-start");
      t.setDaemon(true);
      t.start();
    }
  }

  private static Map<String, String> systemProperties() {
    Map<String, String> out = new HashMap<>();
    for (String name : System.getProperties().stringPropertyNames()) {
      out.put(name, System.getProperty(name));
    }
    return out;
  }
}
