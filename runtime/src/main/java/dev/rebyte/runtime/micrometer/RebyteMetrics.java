package dev.rebyte.runtime.micrometer;

import dev.rebyte.runtime.PoolStats;
import dev.rebyte.runtime.Rebyte;
import dev.rebyte.runtime.SiteStats;
import dev.rebyte.runtime.SizeClassStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Binds the pool's statistics ({@link Rebyte#stats()}) to a Micrometer registry: the meters of
 * {@link RebyteMeters}, read when the registry is scraped. Nothing is counted twice: the meters are
 * function counters and gauges over the counters the runtime already keeps.
 *
 * <pre>{@code
 * new RebyteMetrics().bindTo(registry);                         // bounded tags only
 * new RebyteMetrics(Tags.of("app", "shop"), true).bindTo(registry); // plus rebyte.site.* meters
 * }</pre>
 *
 * <p>Tags are bounded (result, size class, reason, kind, decision) unless per-site meters are asked
 * for: a service may have hundreds of sites, which belong on the dashboard and in the report.
 * Per-site meters of sites registered after {@link #bindTo} are added by a daemon thread every ten
 * seconds; {@link #close()} stops it.
 *
 * <p>Compatibility: only Micrometer 1.0 API is used ({@code FunctionCounter}, {@code Gauge},
 * {@code Tags}, {@code MeterBinder}), so the agent can bind this class in whatever Micrometer 1.x the
 * application has. The agent never puts this package on the bootstrap class path: it injects these
 * classes into each class loader that loads Micrometer and calls {@link #bindToGlobalRegistry()}.
 */
public final class RebyteMetrics implements MeterBinder, AutoCloseable {
  /** Decision tag values of {@code rebyte.sites}. */
  static final String[] DECISIONS = {"pooled", "observed", "rejected", "skipped"};
  private static final long SITE_REFRESH_SECONDS = 10;
  private static RebyteMetrics global; // guarded by RebyteMetrics.class; kept so the binding stays

  private final Iterable<Tag> tags;
  private final boolean perSite;
  private final PoolReadings readings;
  private final Map<MeterRegistry, Integer> sitesBound = new WeakHashMap<>(); // guarded by this
  private ScheduledExecutorService siteRefresher; // guarded by this

  /** Bounded tags only, no common tags. */
  public RebyteMetrics() {
    this(Tags.empty(), false);
  }

  /**
   * @param tags added to every meter
   * @param perSite also register the {@code rebyte.site.*} meters, one series per site
   */
  public RebyteMetrics(Iterable<Tag> tags, boolean perSite) {
    this(tags, perSite, PoolReadings.SHARED);
  }

  RebyteMetrics(Iterable<Tag> tags, boolean perSite, PoolReadings readings) {
    this.tags = tags;
    this.perSite = perSite;
    this.readings = readings;
  }

  /**
   * Binds one shared instance (bounded tags) to {@code Metrics.globalRegistry} of the Micrometer
   * this class was linked against; what the agent calls. Idempotent.
   *
   * @return false if it was bound already
   */
  public static synchronized boolean bindToGlobalRegistry() {
    if (global != null) {
      return false;
    }
    RebyteMetrics metrics = new RebyteMetrics();
    metrics.bindTo(Metrics.globalRegistry);
    global = metrics;
    return true;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    PoolReadings r = readings;
    PoolStats first = r.stats();
    for (SizeClassStats c : first.sizeClasses()) {
      final int size = c.size();
      String sizeClass = Integer.toString(size);
      counter(registry, RebyteMeters.ACQUIRES, x -> x.classCounter(size, true), "result", "hit", "size.class", sizeClass);
      counter(registry, RebyteMeters.ACQUIRES, x -> x.classCounter(size, false), "result", "miss", "size.class", sizeClass);
    }
    counter(registry, RebyteMeters.ACQUIRES, x -> x.previousPools(true), "result", "hit", "size.class", "previous");
    counter(registry, RebyteMeters.ACQUIRES, x -> x.previousPools(false), "result", "miss", "size.class", "previous");
    counter(registry, RebyteMeters.ACQUIRES, x -> x.stats().bypasses(), "result", "bypass", "size.class", "none");
    counter(registry, RebyteMeters.RELEASES, x -> x.stats().releasesPooled(), "result", "pooled");
    counter(registry, RebyteMeters.RELEASES, x -> x.stats().releasesDropped(), "result", "dropped");
    counter(registry, RebyteMeters.RELEASES, x -> x.stats().releasesRejected(), "result", "rejected");
    gauge(registry, RebyteMeters.RETAINED, x -> x.stats().retainedBytes());
    gauge(registry, RebyteMeters.MAX, x -> x.stats().maxBytes());
    gauge(registry, RebyteMeters.RETAINED_BUFFERS, x -> x.stats().retainedBuffers());
    counter(registry, RebyteMeters.EVICTIONS, x -> x.stats().evictionsIdle(), "reason", "idle");
    counter(registry, RebyteMeters.EVICTIONS, x -> x.stats().evictionsPressure(), "reason", "pressure");
    counter(registry, RebyteMeters.EVICTIONS, x -> x.stats().evictionsBound(), "reason", "bound");
    counter(registry, RebyteMeters.BYTES_SAVED, x -> x.stats().bytesSaved());
    gauge(registry, RebyteMeters.OUTSTANDING, x -> x.stats().outstanding());
    counter(registry, RebyteMeters.LEAKS, x -> x.stats().siteLeaks(), "kind", "site");
    counter(registry, RebyteMeters.LEAKS, x -> x.stats().leaseLeaks(), "kind", "lease");
    for (String decision : DECISIONS) {
      gauge(registry, RebyteMeters.SITES, x -> x.sites(decision), "decision", decision);
    }
    if (perSite) {
      bindNewSites(registry);
      startSiteRefresher(registry);
    }
  }

  /** Registers the per-site meters of sites registered since the last call for this registry. */
  synchronized void bindNewSites(MeterRegistry registry) {
    Integer done = sitesBound.get(registry);
    int from = done == null ? 0 : done;
    List<SiteStats> sites = readings.stats().sites();
    for (int id = from; id < sites.size(); id++) {
      SiteStats s = sites.get(id);
      final int siteId = id;
      String site = s.className().replace('/', '.') + "." + s.methodName() + (s.line() >= 0 ? ":" + s.line() : "");
      counter(registry, RebyteMeters.SITE_ACQUIRES, x -> siteValue(x, siteId, 0), "site", site, "result", "hit");
      counter(registry, RebyteMeters.SITE_ACQUIRES, x -> siteValue(x, siteId, 1), "site", site, "result", "miss");
      counter(registry, RebyteMeters.SITE_ACQUIRES, x -> siteValue(x, siteId, 2), "site", site, "result", "bypass");
      counter(registry, RebyteMeters.SITE_BYTES_SAVED, x -> siteValue(x, siteId, 3), "site", site);
      counter(registry, RebyteMeters.SITE_LEAKS, x -> siteValue(x, siteId, 4), "site", site);
    }
    sitesBound.put(registry, Math.max(from, sites.size()));
  }

  private static double siteValue(PoolReadings r, int id, int what) {
    SiteStats s = r.site(id);
    if (s == null) {
      return 0;
    }
    switch (what) {
      case 0:
        return s.hits();
      case 1:
        return s.misses();
      case 2:
        return s.bypasses();
      case 3:
        return s.bytesSaved();
      default:
        return s.leaks();
    }
  }

  private synchronized void startSiteRefresher(final MeterRegistry registry) {
    if (siteRefresher == null) {
      siteRefresher = Executors.newSingleThreadScheduledExecutor(new ThreadFactory() {
        @Override
        public Thread newThread(Runnable task) {
          Thread t = new Thread(task, "rebyte-metrics-sites");
          t.setDaemon(true);
          return t;
        }
      });
    }
    siteRefresher.scheduleWithFixedDelay(() -> {
      try {
        bindNewSites(registry);
      } catch (RuntimeException e) {
        // a registry that refuses meters (closed, filtered): nothing to do until the next round
      }
    }, SITE_REFRESH_SECONDS, SITE_REFRESH_SECONDS, TimeUnit.SECONDS);
  }

  /** Stops adding per-site meters. Registered meters stay (remove them from the registry if needed). */
  @Override
  public synchronized void close() {
    if (siteRefresher != null) {
      siteRefresher.shutdownNow();
      siteRefresher = null;
    }
  }

  private void counter(MeterRegistry registry, RebyteMeters meter, ToDoubleFunction<PoolReadings> f,
      String... tagPairs) {
    FunctionCounter.builder(meter.getName(), readings, f)
        .tags(tags).tags(tagPairs)
        .baseUnit(meter.getBaseUnit())
        .description(meter.getDescription())
        .register(registry);
  }

  private void gauge(MeterRegistry registry, RebyteMeters meter, ToDoubleFunction<PoolReadings> f,
      String... tagPairs) {
    Gauge.builder(meter.getName(), readings, f)
        .tags(tags).tags(tagPairs)
        .baseUnit(meter.getBaseUnit())
        .description(meter.getDescription())
        .register(registry);
  }
}
