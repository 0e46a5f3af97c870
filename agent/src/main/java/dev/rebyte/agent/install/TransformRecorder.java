package dev.rebyte.agent.install;

import dev.rebyte.agent.decision.Reason;
import dev.rebyte.agent.log.AgentLog;
import dev.rebyte.agent.report.SiteReport;
import dev.rebyte.agent.transform.TransformResult;

/**
 * Turns what happened to one class into report entries and log lines. Every failure is logged in one
 * line (class and reason) the first time it happens to that class, and counted in the report.
 */
final class TransformRecorder {
  private final SiteReport report;

  TransformRecorder(SiteReport report) {
    this.report = report;
  }

  void record(String typeName, ClassLoader loader, TransformResult result) {
    String className = result.className() == null ? typeName : result.className();
    report.recordSites(className, loader, result.sites());
    Reason reason = result.classReason();
    boolean failed = result.failure() != null || (reason != null && reason != Reason.UNSUPPORTED_CLASS);
    if (failed) {
      String why = reason == null ? "transform failed" : reason.name() + ": " + reason.description();
      fail(className, loader, why, result.failure());
    }
  }

  /** A failure outside the transformer (ByteBuddy, the bridge): the JVM keeps the original bytes. */
  void fail(String className, ClassLoader loader, String why, Throwable t) {
    String detail = t == null ? "" : oneLine(t);
    if (report.recordFailure(className, loader, why, detail)) {
      AgentLog.log("left " + className + " unchanged: " + why + (detail.isEmpty() ? "" : " (" + detail + ")"));
    }
  }

  private static String oneLine(Throwable t) {
    String s = t.toString();
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
