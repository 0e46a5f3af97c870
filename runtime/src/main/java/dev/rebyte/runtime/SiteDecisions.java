package dev.rebyte.runtime;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Sites by decision ({@code rebyte.sites{decision}}): {@code pooled} and {@code observed} counted
 * from the sites registered with the runtime, then whatever the agent published (typically
 * {@code rejected} and {@code skipped}, the sites it did not rewrite and never registered).
 */
final class SiteDecisions {
  /*
   * The runtime stays free of agent types: the agent publishes a Supplier of a Map<String, Long>,
   * called when statistics are read (a metrics scrape), never on an acquire or release. The
   * runtime's own counts come first and win over a published key of the same name; null keys and
   * values are skipped; a supplier that throws or returns null adds nothing (the throw is reported
   * as an internal error).
   */
  private final SiteRegistry sites;
  private final FailSafe errors;
  private volatile Supplier<? extends Map<String, Long>> source;

  SiteDecisions(SiteRegistry sites, FailSafe errors) {
    this.sites = sites;
    this.errors = errors;
  }

  /** Replaces the published source; {@code null} removes it. */
  void publish(Supplier<? extends Map<String, Long>> source) {
    this.source = source;
  }

  /** The counts now, in order pooled, observed, then the published keys; unmodifiable. */
  Map<String, Long> count() {
    long[] byMode = sites.countByMode();
    long observed = byMode[SiteMode.OBSERVED.ordinal()];
    long pooled = byMode[SiteMode.EXACT.ordinal()] + byMode[SiteMode.ROUNDED.ordinal()]
        + byMode[SiteMode.ALLOCATOR.ordinal()] + byMode[SiteMode.OWNED.ordinal()];
    Map<String, Long> out = new LinkedHashMap<>();
    out.put("pooled", pooled);
    out.put("observed", observed);
    Supplier<? extends Map<String, Long>> source = this.source;
    if (source != null) {
      try {
        Map<String, Long> published = source.get();
        if (published != null) {
          for (Map.Entry<String, Long> e : published.entrySet()) {
            if (e.getKey() != null && e.getValue() != null && !out.containsKey(e.getKey())) {
              out.put(e.getKey(), e.getValue());
            }
          }
        }
      } catch (RuntimeException e) {
        errors.internalError(e);
      }
    }
    return Collections.unmodifiableMap(out);
  }
}
