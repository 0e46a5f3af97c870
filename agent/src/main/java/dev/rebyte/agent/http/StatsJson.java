package dev.rebyte.agent.http;

import static dev.rebyte.agent.report.Json.name;
import static dev.rebyte.agent.report.Json.string;

import dev.rebyte.agent.decision.Decision;
import dev.rebyte.agent.decision.SiteDecision;
import dev.rebyte.agent.report.SiteReport;
import dev.rebyte.runtime.LeakRecord;
import dev.rebyte.runtime.PoolStats;
import dev.rebyte.runtime.Rebyte;
import dev.rebyte.runtime.SiteStats;
import dev.rebyte.runtime.SizeClassStats;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /api/stats}: one JSON snapshot of the pool, the sites joined with the agent's decisions,
 * leaks, GC and the configuration in force. What the dashboard polls; stable enough to script
 * against (fields are only ever added).
 *
 * <pre>
 * { "time", "uptimeMs", "mode", "config", "pool",
 *   "totals": { hits, misses, bypasses, releasesPooled, releasesDropped, releasesRejected,
 *               bytesSaved, outstanding, retainedBytes, retainedBuffers, maxBytes, evictionsIdle,
 *               evictionsPressure, evictionsBound, siteLeaks, leaseLeaks, useAfterRelease,
 *               observed, observedBytes },
 *   "decisions": { pooled, observed, rejected, skipped, failedClasses },
 *   "classes": [ { size, lower, humongousEdge, maxBytes, retainedBytes, retainedBuffers, hits,
 *                  misses, bytesSaved, pooled, dropped, evictions } ],
 *   "sites": [ { id, class, method, line, length, mode, decision, reason, hits, misses, bypasses,
 *                bytesSaved, outstanding, leaks, observed } ],
 *   "unrewritten": [ { class, method, line, decision, reason, detail, reasonLine } ] (first 500),
 *   "unrewrittenTotal",
 *   "leaks": [ { kind, site, stack: [frame...] } ],
 *   "gc": [ { name, count, timeMs } ] }
 * </pre>
 */
final class StatsJson {
  static final int MAX_UNREWRITTEN = 500;

  private final SiteReport report;
  private final String config;

  StatsJson(SiteReport report, String config) {
    this.report = report;
    this.config = config;
  }

  String render() {
    PoolStats s = Rebyte.stats();
    SiteReport.Snapshot decisions = report.snapshot();
    StringBuilder b = new StringBuilder(8192).append('{');
    name(b, true, "time").append(System.currentTimeMillis());
    name(b, false, "uptimeMs").append(ManagementFactory.getRuntimeMXBean().getUptime());
    name(b, false, "mode");
    string(b, report.mode());
    name(b, false, "config");
    string(b, config);
    name(b, false, "pool");
    string(b, s.configuration());

    name(b, false, "totals").append('{');
    num(b, true, "hits", s.hits());
    num(b, false, "misses", s.misses());
    num(b, false, "bypasses", s.bypasses());
    num(b, false, "releasesPooled", s.releasesPooled());
    num(b, false, "releasesDropped", s.releasesDropped());
    num(b, false, "releasesRejected", s.releasesRejected());
    num(b, false, "bytesSaved", s.bytesSaved());
    num(b, false, "outstanding", s.outstanding());
    num(b, false, "retainedBytes", s.retainedBytes());
    num(b, false, "retainedBuffers", s.retainedBuffers());
    num(b, false, "maxBytes", s.maxBytes());
    num(b, false, "evictionsIdle", s.evictionsIdle());
    num(b, false, "evictionsPressure", s.evictionsPressure());
    num(b, false, "evictionsBound", s.evictionsBound());
    num(b, false, "siteLeaks", s.siteLeaks());
    num(b, false, "leaseLeaks", s.leaseLeaks());
    num(b, false, "useAfterRelease", s.useAfterRelease());
    num(b, false, "observed", s.observed());
    num(b, false, "observedBytes", s.observedBytes());
    b.append('}');

    name(b, false, "decisions").append('{');
    boolean first = true;
    for (Map.Entry<String, Long> e : Rebyte.siteDecisions().entrySet()) {
      num(b, first, e.getKey(), e.getValue());
      first = false;
    }
    num(b, first, "failedClasses", decisions.failedClasses());
    b.append('}');

    name(b, false, "classes").append('[');
    first = true;
    for (SizeClassStats c : s.sizeClasses()) {
      b.append(first ? "{" : ", {");
      first = false;
      num(b, true, "size", c.size());
      num(b, false, "lower", c.lowerBound());
      name(b, false, "humongousEdge").append(c.humongousEdge());
      num(b, false, "maxBytes", c.maxBytes());
      num(b, false, "retainedBytes", c.retainedBytes());
      num(b, false, "retainedBuffers", c.retainedBuffers());
      num(b, false, "hits", c.hits());
      num(b, false, "misses", c.misses());
      num(b, false, "bytesSaved", c.bytesSaved());
      num(b, false, "pooled", c.releasesPooled());
      num(b, false, "dropped", c.releasesDropped());
      num(b, false, "evictions", c.evictionsIdle() + c.evictionsPressure() + c.evictionsBound());
      b.append('}');
    }
    b.append(']');

    Map<Integer, SiteDecision> byId = new HashMap<>();
    for (SiteDecision d : decisions.sites()) {
      if (d.siteId() >= 0) {
        byId.put(d.siteId(), d);
      }
    }
    name(b, false, "sites").append('[');
    first = true;
    for (SiteStats site : s.sites()) {
      SiteDecision d = byId.get(site.id());
      b.append(first ? "{" : ", {");
      first = false;
      num(b, true, "id", site.id());
      name(b, false, "class");
      string(b, site.className().replace('/', '.'));
      name(b, false, "method");
      string(b, site.methodName());
      num(b, false, "line", site.line());
      num(b, false, "length", site.constantLength());
      name(b, false, "mode");
      string(b, site.mode().name().toLowerCase(Locale.ROOT));
      name(b, false, "decision");
      string(b, d == null ? null : d.decision().name().toLowerCase(Locale.ROOT));
      name(b, false, "reason");
      string(b, d == null ? null : d.reason().name());
      num(b, false, "hits", site.hits());
      num(b, false, "misses", site.misses());
      num(b, false, "bypasses", site.bypasses());
      num(b, false, "bytesSaved", site.bytesSaved());
      num(b, false, "outstanding", site.outstanding());
      num(b, false, "leaks", site.leaks());
      num(b, false, "observed", site.observed());
      b.append('}');
    }
    b.append(']');

    name(b, false, "unrewritten").append('[');
    int listed = 0;
    int total = 0;
    for (SiteDecision d : decisions.sites()) {
      if (d.decision() != Decision.REJECTED && d.decision() != Decision.SKIPPED) {
        continue;
      }
      total++;
      if (listed == MAX_UNREWRITTEN) {
        continue;
      }
      b.append(listed == 0 ? "{" : ", {");
      listed++;
      name(b, true, "class");
      string(b, d.className());
      name(b, false, "method");
      string(b, d.methodName());
      num(b, false, "line", d.line());
      name(b, false, "decision");
      string(b, d.decision().name().toLowerCase(Locale.ROOT));
      name(b, false, "reason");
      string(b, d.reason().name());
      name(b, false, "detail");
      string(b, d.detail());
      num(b, false, "reasonLine", d.reasonLine());
      b.append('}');
    }
    b.append(']');
    num(b, false, "unrewrittenTotal", total);

    name(b, false, "leaks").append('[');
    first = true;
    for (LeakRecord leak : s.recentLeaks()) {
      b.append(first ? "{" : ", {");
      first = false;
      name(b, true, "kind");
      string(b, leak.kind().name().toLowerCase(Locale.ROOT));
      name(b, false, "site");
      string(b, leak.site());
      name(b, false, "stack").append('[');
      List<StackTraceElement> stack = leak.stack();
      for (int i = 0; i < stack.size(); i++) {
        if (i > 0) {
          b.append(", ");
        }
        string(b, stack.get(i).toString());
      }
      b.append("]}");
    }
    b.append(']');

    name(b, false, "gc").append('[');
    first = true;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      b.append(first ? "{" : ", {");
      first = false;
      name(b, true, "name");
      string(b, gc.getName());
      num(b, false, "count", Math.max(0, gc.getCollectionCount()));
      num(b, false, "timeMs", Math.max(0, gc.getCollectionTime()));
      b.append('}');
    }
    b.append(']');
    return b.append('}').toString();
  }

  private static void num(StringBuilder b, boolean first, String key, long value) {
    name(b, first, key).append(value);
  }
}
