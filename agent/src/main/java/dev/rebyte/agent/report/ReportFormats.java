package dev.rebyte.agent.report;

import dev.rebyte.agent.decision.Decision;
import dev.rebyte.agent.decision.SiteDecision;
import java.time.Instant;
import java.util.Locale;

/** Renders a {@link SiteReport.Snapshot} as JSON (for tools) and as a text table (for people). */
final class ReportFormats {
  private ReportFormats() {}

  /*
   * JSON layout (one object):
   *   {"agent": "rebyte", "mode": "rewrite", "generated": "<ISO instant>", "summary": "<line>",
   *    "counts": {"pooled": n, "observed": n, "rejected": n, "skipped": n, "failedClasses": n,
   *               "loadersSkipped": n, "classesInSkippedLoaders": n},
   *    "skippedLoaders": [{"loader", "reason", "classes"}...],
   *    "failures": [{"class", "reason", "detail"}...],
   *    "owners": [{"class", "field", "decision", "reason", "detail", "sites", "bytesPerInstance"}...],
   *    "sites": [{"class", "method", "descriptor", "line", "constantLength", "decision", "reason",
   *               "description", "detail", "reasonLine", "siteId", "mode", "rounding",
   *               "roundingDetail", "field"}...]}
   * "owners" lists the fields examined as owner-scoped buffers; "field" names a site's such field
   * ("" otherwise).
   * Unknown numbers (line, length, reason line, site id) are -1, as in SiteDecision.
   */
  static String json(SiteReport.Snapshot s) {
    StringBuilder b = new StringBuilder(256 + 256 * s.sites.size());
    b.append("{\n  ");
    Json.name(b, true, "agent");
    Json.string(b, "rebyte");
    Json.name(b, false, "mode");
    Json.string(b, s.mode);
    Json.name(b, false, "generated");
    Json.string(b, Instant.now().toString());
    Json.name(b, false, "summary");
    Json.string(b, s.summary());
    b.append(",\n  ");
    Json.name(b, true, "counts");
    b.append("{");
    Json.name(b, true, "pooled").append(s.count(Decision.POOLED));
    Json.name(b, false, "observed").append(s.count(Decision.OBSERVED));
    Json.name(b, false, "rejected").append(s.count(Decision.REJECTED));
    Json.name(b, false, "skipped").append(s.count(Decision.SKIPPED));
    Json.name(b, false, "failedClasses").append(s.failures.size());
    Json.name(b, false, "loadersSkipped").append(s.skippedLoaders());
    Json.name(b, false, "classesInSkippedLoaders").append(s.classesInSkippedLoaders());
    b.append("},\n  ");
    Json.name(b, true, "skippedLoaders");
    b.append("[");
    boolean firstLoader = true;
    for (SiteReport.SkippedLoader l : s.skippedLoaders) {
      b.append(firstLoader ? "\n    {" : ",\n    {");
      firstLoader = false;
      Json.name(b, true, "loader");
      Json.string(b, l.loader);
      Json.name(b, false, "reason");
      Json.string(b, l.reason);
      Json.name(b, false, "classes").append(l.classes.size());
      b.append("}");
    }
    b.append(firstLoader ? "],\n  " : "\n  ],\n  ");
    Json.name(b, true, "failures");
    b.append("[");
    boolean first = true;
    for (SiteReport.Failure f : s.failures) {
      b.append(first ? "\n    {" : ",\n    {");
      first = false;
      Json.name(b, true, "class");
      Json.string(b, f.className);
      Json.name(b, false, "reason");
      Json.string(b, f.reason);
      Json.name(b, false, "detail");
      Json.string(b, f.detail);
      b.append("}");
    }
    b.append(first ? "],\n  " : "\n  ],\n  ");
    Json.name(b, true, "owners");
    b.append("[");
    first = true;
    for (SiteReport.OwnerField o : s.owners()) {
      b.append(first ? "\n    {" : ",\n    {");
      first = false;
      Json.name(b, true, "class");
      Json.string(b, o.className);
      Json.name(b, false, "field");
      Json.string(b, o.field);
      Json.name(b, false, "decision");
      Json.string(b, o.decision.name());
      Json.name(b, false, "reason");
      Json.string(b, o.reason.name());
      Json.name(b, false, "detail");
      Json.string(b, o.detail);
      Json.name(b, false, "sites").append(o.sites);
      Json.name(b, false, "bytesPerInstance").append(o.bytesPerInstance);
      b.append("}");
    }
    b.append(first ? "],\n  " : "\n  ],\n  ");
    Json.name(b, true, "sites");
    b.append("[");
    first = true;
    for (SiteDecision d : s.sites) {
      b.append(first ? "\n    {" : ",\n    {");
      first = false;
      Json.name(b, true, "class");
      Json.string(b, d.className());
      Json.name(b, false, "method");
      Json.string(b, d.methodName());
      Json.name(b, false, "descriptor");
      Json.string(b, d.methodDescriptor());
      Json.name(b, false, "line").append(d.line());
      Json.name(b, false, "constantLength").append(d.constantLength());
      Json.name(b, false, "decision");
      Json.string(b, d.decision().name());
      Json.name(b, false, "reason");
      Json.string(b, d.reason().name());
      Json.name(b, false, "description");
      Json.string(b, d.reason().description());
      Json.name(b, false, "detail");
      Json.string(b, d.detail());
      Json.name(b, false, "reasonLine").append(d.reasonLine());
      Json.name(b, false, "siteId").append(d.siteId());
      Json.name(b, false, "mode");
      Json.string(b, d.mode().name());
      Json.name(b, false, "rounding");
      Json.string(b, d.rounding().name());
      Json.name(b, false, "roundingDetail");
      Json.string(b, d.roundingDetail());
      Json.name(b, false, "field");
      Json.string(b, d.ownerField());
      b.append("}");
    }
    b.append(first ? "]\n}\n" : "\n  ]\n}\n");
    return b.toString();
  }

  /** A fixed-width table, one site per line, then the failed classes. */
  static String text(SiteReport.Snapshot s) {
    StringBuilder b = new StringBuilder();
    b.append("Rebyte site report (").append(s.mode).append(" mode), ").append(Instant.now()).append('\n');
    b.append(s.summary()).append('\n');
    String owners = s.ownersLine();
    b.append(owners.isEmpty() ? "" : owners + "\n").append('\n');
    b.append(String.format(Locale.ROOT, "%-8s %-26s %-8s %8s %5s  %s%n", "DECISION", "REASON", "MODE",
        "LENGTH", "SITE", "WHERE / WHY"));
    for (SiteDecision d : s.sites) {
      b.append(String.format(Locale.ROOT, "%-8s %-26s %-8s %8s %5s  %s.%s%s line %d%n", d.decision(),
          d.reason(), pooled(d) ? d.mode() : "-", d.constantLength() < 0 ? "var" : Integer.toString(d.constantLength()),
          d.siteId() < 0 ? "-" : Integer.toString(d.siteId()), d.className(), d.methodName(),
          d.methodDescriptor(), d.line()));
      b.append(String.format(Locale.ROOT, "%59s  %s%s%s%n", "", d.reason().description(),
          d.detail().isEmpty() ? "" : ": " + d.detail(),
          d.reasonLine() < 0 ? "" : " (line " + d.reasonLine() + ")"));
      if (pooled(d)) {
        b.append(String.format(Locale.ROOT, "%59s  %s: %s%s%n", "", lower(d.mode().name()),
            d.rounding().description(), d.roundingDetail().isEmpty() ? "" : " (" + d.roundingDetail() + ")"));
      }
    }
    if (!s.owners().isEmpty()) {
      b.append("\nFields examined as owner-scoped buffers (rebyte.owners):\n");
      for (SiteReport.OwnerField o : s.owners()) {
        b.append(String.format(Locale.ROOT, "  %-8s %-22s %s.%s (%d site%s): %s%n", o.decision, o.reason,
            o.className, o.field, o.sites, o.sites == 1 ? "" : "s", o.detail));
      }
    }
    if (!s.skippedLoaders.isEmpty()) {
      b.append("\nClass loaders whose classes are left unchanged (they do not see the boot runtime):\n");
      for (SiteReport.SkippedLoader l : s.skippedLoaders) {
        b.append("  ").append(l.loader).append(": ").append(l.reason).append(" (").append(l.classes.size())
            .append(" selected classes: ").append(String.join(", ", l.classes)).append(")\n");
      }
    }
    if (!s.failures.isEmpty()) {
      b.append("\nClasses left unchanged because transforming them failed:\n");
      for (SiteReport.Failure f : s.failures) {
        b.append("  ").append(f.className).append(": ").append(f.reason)
            .append(f.detail.isEmpty() ? "" : " (" + f.detail + ")").append('\n');
      }
    }
    return b.toString();
  }

  /** Only sites that use the pool have a size mode worth printing. */
  private static boolean pooled(SiteDecision d) {
    return d.decision() == Decision.POOLED;
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
