package dev.rebyte.agent.cli;

import dev.rebyte.agent.decision.Decision;
import dev.rebyte.agent.decision.SiteDecision;
import dev.rebyte.agent.report.SiteReport;
import java.util.List;

/** What a scan found: every site's decision, the classes that failed, and the counts. Immutable. */
final class ScanResult {
  final String mode;
  final int inputs;
  final int classesRead;
  final int classesSelected;
  final int duplicates;
  final List<SiteDecision> sites;
  final List<Failure> failures;
  final SiteReport.Snapshot report;
  final String settings;

  ScanResult(String mode, int inputs, int classesRead, int classesSelected, int duplicates,
      List<SiteDecision> sites, List<Failure> failures, SiteReport.Snapshot report, String settings) {
    this.mode = mode;
    this.inputs = inputs;
    this.classesRead = classesRead;
    this.classesSelected = classesSelected;
    this.duplicates = duplicates;
    this.sites = List.copyOf(sites);
    this.failures = List.copyOf(failures);
    this.report = report;
    this.settings = settings;
  }

  long count(Decision d) {
    return sites.stream().filter(s -> s.decision() == d).count();
  }

  /**
   * The agent's summary line, in the conditional: "scanned 612 classes (612 selected) in 1 input:
   * would rewrite 27 sites in 14 classes, rejected 201, skipped 55, failed classes 0".
   */
  String summary() {
    return "scanned " + classesRead + " classes (" + classesSelected + " selected) in " + inputs
        + (inputs == 1 ? " input" : " inputs") + ": would " + conditional(report.summary());
  }

  /** "rewrote 7 sites ..." becomes "rewrite 7 sites ...", "observed ..." becomes "observe ...". */
  private static String conditional(String agentSummary) {
    if (agentSummary.startsWith("rewrote ")) {
      return "rewrite " + agentSummary.substring("rewrote ".length());
    }
    return agentSummary.startsWith("observed ") ? "observe " + agentSummary.substring("observed ".length()) : agentSummary;
  }

  /** A class the agent would leave unchanged because analysing or rewriting it failed. */
  static final class Failure {
    final String className;
    final String why;
    final String detail;

    Failure(String className, String why, String detail) {
      this.className = className;
      this.why = why;
      this.detail = detail;
    }
  }
}
