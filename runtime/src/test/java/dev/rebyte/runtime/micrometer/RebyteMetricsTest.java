package dev.rebyte.runtime.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebyte.runtime.LeakDetection;
import dev.rebyte.runtime.PoolConfig;
import dev.rebyte.runtime.PoolStats;
import dev.rebyte.runtime.Rebyte;
import dev.rebyte.runtime.RebytePoolMBean;
import dev.rebyte.runtime.SiteMode;
import dev.rebyte.runtime.SizeClassStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The binder against real registries. The pool is process-wide, so values are compared with
 * {@link Rebyte#stats()} (and JMX) read at the same quiet moment, through readings that never cache.
 */
class RebyteMetricsTest {
  private final PoolReadings fresh = new PoolReadings(0);

  @BeforeEach
  void configure() {
    Rebyte.configure(PoolConfig.builder().maxBytes(1L << 20).idleTimeout(Duration.ofMinutes(5))
        .leakDetection(LeakDetection.DISABLED).build());
  }

  /** Two misses and a hit at 8 KiB, one bypass, pooled releases, one double release. */
  private static int workload() {
    int site = Rebyte.registerSite("com/acme/Copier", "copy", "()V", 42, 8192, SiteMode.EXACT);
    byte[] a = Rebyte.acquire(8192, site);
    byte[] b = Rebyte.acquire(8192, site);
    Rebyte.release(a, site);
    Rebyte.release(b, site);
    byte[] c = Rebyte.acquire(8192, site);
    Rebyte.release(c, site);
    Rebyte.release(c, site); // rejected
    Rebyte.acquire(16, site); // bypass: below the pool's classes
    return site;
  }

  @Test
  void simpleRegistry_metersMatchTheRuntimeStatistics() {
    workload();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new RebyteMetrics(Tags.of("app", "test"), false, fresh).bindTo(registry);
    PoolStats stats = Rebyte.stats();

    assertEquals(stats.hits(), sum(registry, "rebyte.pool.acquires", "result", "hit"));
    assertEquals(stats.misses(), sum(registry, "rebyte.pool.acquires", "result", "miss"));
    assertEquals(stats.bypasses(), sum(registry, "rebyte.pool.acquires", "result", "bypass"));
    assertTrue(stats.hits() >= 1 && stats.misses() >= 2 && stats.bypasses() >= 1, stats.toString());
    // hits and misses per size class: 8 KiB is a class boundary of the default table
    SizeClassStats eightK = stats.sizeClasses().stream().filter(c -> c.size() == 8192).findFirst().orElseThrow();
    FunctionCounter hits8k = registry.find("rebyte.pool.acquires").tags("result", "hit", "size.class", "8192")
        .functionCounter();
    assertNotNull(hits8k);
    assertEquals(eightK.hits(), hits8k.count());
    assertEquals("test", hits8k.getId().getTag("app"));
    assertEquals(stats.releasesPooled(), sum(registry, "rebyte.pool.releases", "result", "pooled"));
    assertEquals(stats.releasesDropped(), sum(registry, "rebyte.pool.releases", "result", "dropped"));
    assertEquals(stats.releasesRejected(), sum(registry, "rebyte.pool.releases", "result", "rejected"));
    assertEquals(stats.retainedBytes(), gauge(registry, "rebyte.pool.retained"));
    assertEquals(stats.maxBytes(), gauge(registry, "rebyte.pool.max"));
    assertEquals(stats.retainedBuffers(), gauge(registry, "rebyte.pool.retained.buffers"));
    assertEquals(stats.bytesSaved(), sum(registry, "rebyte.bytes.saved", null, null));
    assertEquals(stats.outstanding(), gauge(registry, "rebyte.buffers.outstanding"));
    assertEquals(stats.siteLeaks(), sum(registry, "rebyte.leaks", "kind", "site"));
    assertEquals(stats.leaseLeaks(), sum(registry, "rebyte.leaks", "kind", "lease"));
    assertEquals(stats.evictionsBound(), sum(registry, "rebyte.pool.evictions", "reason", "bound"));
    assertEquals("bytes", registry.find("rebyte.bytes.saved").meter().getId().getBaseUnit());
    // no per-site meters unless asked for
    assertTrue(registry.find("rebyte.site.acquires").meters().isEmpty());
  }

  @Test
  void metersMove_whenThePoolWorks() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new RebyteMetrics(Tags.empty(), false, fresh).bindTo(registry);
    double hits = sum(registry, "rebyte.pool.acquires", "result", "hit");
    double saved = sum(registry, "rebyte.bytes.saved", null, null);
    workload();
    assertEquals(hits + 1, sum(registry, "rebyte.pool.acquires", "result", "hit"));
    assertEquals(saved + 8192, sum(registry, "rebyte.bytes.saved", null, null));
  }

  @Test
  void sites_countRegisteredAndPublishedDecisions() {
    Map<String, Long> published = new HashMap<>();
    published.put("rejected", 7L);
    published.put("skipped", 3L);
    published.put("pooled", -5L); // the runtime's own count wins
    Rebyte.publishSiteDecisions(() -> published);
    try {
      Rebyte.registerSite("com/acme/Obs", "run", "()V", 1, -1, SiteMode.OBSERVED);
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      new RebyteMetrics(Tags.empty(), false, fresh).bindTo(registry);
      Map<String, Long> decisions = Rebyte.siteDecisions();
      assertEquals(7, gauge(registry, "rebyte.sites", "decision", "rejected"));
      assertEquals(3, gauge(registry, "rebyte.sites", "decision", "skipped"));
      assertEquals(decisions.get("pooled"), (long) gauge(registry, "rebyte.sites", "decision", "pooled"));
      assertTrue(decisions.get("pooled") >= 0);
      assertTrue(gauge(registry, "rebyte.sites", "decision", "observed") >= 1);
    } finally {
      Rebyte.publishSiteDecisions(null);
    }
  }

  @Test
  void perSite_onRequest_registersSiteMetersIncludingLaterSites() {
    int site = Rebyte.registerSite("com/acme/PerSite", "read", "()V", 12, 8192, SiteMode.EXACT);
    Rebyte.release(Rebyte.acquire(8192, site), site);
    Rebyte.release(Rebyte.acquire(8192, site), site);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (RebyteMetrics metrics = new RebyteMetrics(Tags.empty(), true, fresh)) {
      metrics.bindTo(registry);
      FunctionCounter hits = registry.find("rebyte.site.acquires")
          .tags("site", "com.acme.PerSite.read:12", "result", "hit").functionCounter();
      assertNotNull(hits);
      assertEquals(1, hits.count());
      assertEquals(8192, registry.find("rebyte.site.bytes.saved").tags("site", "com.acme.PerSite.read:12")
          .functionCounter().count());
      int later = Rebyte.registerSite("com/acme/PerSiteLater", "run", "()V", 7, 8192, SiteMode.EXACT);
      Rebyte.release(Rebyte.acquire(8192, later), later);
      metrics.bindNewSites(registry); // what the refresher thread does every ten seconds
      FunctionCounter laterMisses = registry.find("rebyte.site.acquires")
          .tags("site", "com.acme.PerSiteLater.run:7", "result", "miss").functionCounter();
      assertNotNull(laterMisses);
      assertEquals(Rebyte.stats().sites().get(later).misses(), laterMisses.count());
    }
  }

  @Test
  void prometheus_exposesEveryDocumentedSeries() {
    workload();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new RebyteMetrics(Tags.empty(), true, fresh).bindTo(registry);
    String text = registry.scrape();
    for (RebyteMeters meter : RebyteMeters.values()) {
      assertTrue(text.contains("\n" + meter.prometheusName() + "{") || text.contains("\n" + meter.prometheusName() + " "),
          meter.prometheusName() + " in\n" + text);
    }
    assertTrue(text.contains("rebyte_pool_acquires_total{result=\"hit\",size_class=\"8192\"}"), text);
    assertTrue(text.contains("rebyte_pool_acquires_total{result=\"bypass\",size_class=\"none\"}"), text);
    assertTrue(text.contains("# TYPE rebyte_pool_retained_bytes gauge"), text);
    assertTrue(text.contains("# TYPE rebyte_bytes_saved_bytes_total counter"), text);
    assertTrue(text.contains("rebyte_sites{decision=\"pooled\"}"), text);
    registry.close();
  }

  @Test
  void jmxAndMicrometer_agree() throws Exception {
    workload();
    Rebyte.registerMBean();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new RebyteMetrics(Tags.empty(), false, fresh).bindTo(registry);
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = new ObjectName(RebytePoolMBean.OBJECT_NAME);
    Map<String, Double> micrometer = new HashMap<>();
    micrometer.put("Hits", sum(registry, "rebyte.pool.acquires", "result", "hit"));
    micrometer.put("Misses", sum(registry, "rebyte.pool.acquires", "result", "miss"));
    micrometer.put("Bypasses", sum(registry, "rebyte.pool.acquires", "result", "bypass"));
    micrometer.put("ReleasesPooled", sum(registry, "rebyte.pool.releases", "result", "pooled"));
    micrometer.put("ReleasesDropped", sum(registry, "rebyte.pool.releases", "result", "dropped"));
    micrometer.put("ReleasesRejected", sum(registry, "rebyte.pool.releases", "result", "rejected"));
    micrometer.put("RetainedBytes", gauge(registry, "rebyte.pool.retained"));
    micrometer.put("RetainedBuffers", gauge(registry, "rebyte.pool.retained.buffers"));
    micrometer.put("MaxBytes", gauge(registry, "rebyte.pool.max"));
    micrometer.put("BytesSaved", sum(registry, "rebyte.bytes.saved", null, null));
    micrometer.put("Outstanding", gauge(registry, "rebyte.buffers.outstanding"));
    micrometer.put("SiteLeaks", sum(registry, "rebyte.leaks", "kind", "site"));
    micrometer.put("LeaseLeaks", sum(registry, "rebyte.leaks", "kind", "lease"));
    micrometer.put("EvictionsIdle", sum(registry, "rebyte.pool.evictions", "reason", "idle"));
    micrometer.put("EvictionsPressure", sum(registry, "rebyte.pool.evictions", "reason", "pressure"));
    micrometer.put("EvictionsBound", sum(registry, "rebyte.pool.evictions", "reason", "bound"));
    for (Map.Entry<String, Double> e : micrometer.entrySet()) {
      long jmx = (Long) server.getAttribute(name, e.getKey());
      assertEquals(jmx, e.getValue().longValue(), e.getKey());
    }
    long leaks = (Long) server.getAttribute(name, "Leaks");
    assertEquals(leaks, micrometer.get("SiteLeaks") + micrometer.get("LeaseLeaks"));
    long sites = (Long) server.getAttribute(name, "Sites");
    double registered = gauge(registry, "rebyte.sites", "decision", "pooled")
        + gauge(registry, "rebyte.sites", "decision", "observed");
    assertEquals(sites, (long) registered);
  }

  /*
   * Micrometer holds a gauge's object weakly. The public binders read PoolReadings.SHARED, a
   * static, so their gauges must still read the pool after a GC that nobody's binder survives. The
   * control proves that GC happened and collects what only Micrometer held: a binder on readings
   * of its own, whose weak reference is cleared and whose gauge then reads NaN.
   */
  @Test
  void gaugesSurviveGc_whenNobodyKeepsTheBinder() throws InterruptedException {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new RebyteMetrics().bindTo(registry); // the public binders read a static, strongly held view
    SimpleMeterRegistry control = new SimpleMeterRegistry();
    WeakReference<PoolReadings> released = bindUnheldReadings(control);
    assertEquals(Rebyte.stats().maxBytes(), gauge(control, "rebyte.pool.max")); // live before the GC
    for (int round = 0; round < 50 && released.get() != null; round++) {
      System.gc();
      Thread.sleep(10);
    }
    assertNull(released.get(), "the readings only Micrometer held were not collected: no GC");
    assertTrue(Double.isNaN(gauge(control, "rebyte.pool.max")));
    assertFalse(Double.isNaN(gauge(registry, "rebyte.pool.max")));
    assertEquals(Rebyte.stats().maxBytes(), gauge(registry, "rebyte.pool.max"));
    assertEquals(Rebyte.stats().retainedBytes(), gauge(registry, "rebyte.pool.retained"));
  }

  /** Binds readings that nothing but {@code registry}'s weak references hold. */
  private static WeakReference<PoolReadings> bindUnheldReadings(MeterRegistry registry) {
    PoolReadings readings = new PoolReadings(0);
    new RebyteMetrics(Tags.empty(), false, readings).bindTo(registry);
    return new WeakReference<>(readings);
  }

  @Test
  void bindToGlobalRegistry_bindsOnce() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Metrics.addRegistry(registry);
    try {
      RebyteMetrics.bindToGlobalRegistry();
      assertFalse(RebyteMetrics.bindToGlobalRegistry());
      assertNotNull(registry.find("rebyte.pool.retained").gauge());
      int meters = registry.getMeters().size();
      RebyteMetrics.bindToGlobalRegistry();
      assertEquals(meters, registry.getMeters().size());
    } finally {
      Metrics.removeRegistry(registry);
    }
  }

  private static double sum(MeterRegistry registry, String name, String key, String value) {
    double total = 0;
    for (Meter m : key == null ? registry.find(name).meters() : registry.find(name).tag(key, value).meters()) {
      total += ((FunctionCounter) m).count();
    }
    return total;
  }

  private static double gauge(MeterRegistry registry, String name) {
    Gauge g = registry.find(name).gauge();
    assertNotNull(g, name);
    return g.value();
  }

  private static double gauge(MeterRegistry registry, String name, String key, String value) {
    Gauge g = registry.find(name).tag(key, value).gauge();
    assertNotNull(g, name + "{" + key + "=" + value + "}");
    return g.value();
  }
}
