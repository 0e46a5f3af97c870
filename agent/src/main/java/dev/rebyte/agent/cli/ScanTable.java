package dev.rebyte.agent.cli;

import dev.rebyte.agent.decision.Decision;
import dev.rebyte.agent.decision.SiteDecision;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The readable scan report: sites grouped by class, one line each (decision, reason, constant
 * length, line, method), then a line with the reason's description and detail for every site that
 * is not pooled; failed classes; the summary line last.
 */
final class ScanTable {
  private ScanTable() {}

  static String render(ScanResult r) {
    StringBuilder b = new StringBuilder();
    b.append("Rebyte scan (").append(r.mode).append(" mode, ").append(r.settings).append(")\n");
    b.append("DECISION  REASON                       LENGTH  LINE  METHOD\n");
    List<SiteDecision> group = new ArrayList<>();
    for (SiteDecision d : r.sites) {
      if (!group.isEmpty() && !group.get(0).className().equals(d.className())) {
        appendClass(b, group);
        group.clear();
      }
      group.add(d);
    }
    if (!group.isEmpty()) {
      appendClass(b, group);
    }
    if (!r.failures.isEmpty()) {
      b.append("\nClasses the agent would leave unchanged because analysing or rewriting them failed:\n");
      for (ScanResult.Failure f : r.failures) {
        b.append("  ").append(f.className).append(": ").append(f.why)
            .append(f.detail.isEmpty() ? "" : " (" + f.detail + ")").append('\n');
      }
    }
    if (r.duplicates > 0) {
      b.append("\n").append(r.duplicates).append(" class files shadowed by an earlier input were not scanned\n");
    }
    String owners = r.report.ownersLine();
    b.append('\n').append(owners.isEmpty() ? "" : owners + "\n").append(r.summary()).append('\n');
    return b.toString();
  }

  private static void appendClass(StringBuilder b, List<SiteDecision> sites) {
    long pooled = sites.stream().filter(s -> s.decision() == Decision.POOLED || s.decision() == Decision.OBSERVED).count();
    b.append('\n').append(sites.get(0).className()).append("  (").append(sites.size())
        .append(sites.size() == 1 ? " site" : " sites").append(", ").append(pooled).append(" pooled)\n");
    for (SiteDecision d : sites) {
      b.append(String.format(Locale.ROOT, "%-9s %-28s %6s %5s  %s%s%n", d.decision(), d.reason(),
          d.constantLength() < 0 ? "var" : Integer.toString(d.constantLength()),
          d.line() < 0 ? "?" : Integer.toString(d.line()), d.methodName(), d.methodDescriptor()));
      if (d.decision() == Decision.REJECTED || d.decision() == Decision.SKIPPED) {
        b.append(String.format(Locale.ROOT, "%-9s %s%s%s%n", "", d.reason().description(),
            d.detail().isEmpty() ? "" : ": " + d.detail(),
            d.reasonLine() < 0 ? "" : " (line " + d.reasonLine() + ")"));
      }
    }
  }
}
