package dev.rebyte.agent.metrics;

import dev.rebyte.runtime.micrometer.RebyteMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The agent's own Prometheus registry behind {@code /metrics}: the pool's meters
 * ({@link RebyteMetrics}, bounded tags), GC pauses and memory (for the Grafana dashboard's "GC
 * next to pool activity") and uptime (restart annotation).
 *
 * <p>Everything here is Micrometer 1.17 and the Prometheus client <em>relocated</em> into
 * {@code dev.rebyte.shaded.*} by the shade plugin (this source names the original packages): it
 * never meets the application's own Micrometer, whose global registry gets the same meters through
 * {@link MicrometerAutoBinding}.
 */
public final class AgentMeterRegistry implements AutoCloseable {
  /** Prometheus text exposition format 0.0.4, what {@link PrometheusMeterRegistry#scrape()} writes. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();

  public AgentMeterRegistry() {
    new RebyteMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** The exposition text. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
