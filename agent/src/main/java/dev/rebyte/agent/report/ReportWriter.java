package dev.rebyte.agent.report;

import dev.rebyte.agent.log.AgentLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes the report files and prints the summary line.
 *
 * <p>A daemon thread wakes every {@link #PERIOD_MS} ms and rewrites the files when the report
 * changed; the first wake-up after a selected class was seen (the application has been running
 * for a moment by then) also prints the summary line, so it never announces an empty report while
 * the agent is still installing. A shutdown hook writes a last time and prints the summary again. Files are
 * written to a temporary sibling and moved into place, so readers never see half a report.
 */
public final class ReportWriter {
  static final long PERIOD_MS = 2000;

  private final SiteReport report;
  private final Path json;
  private final Path text;
  private long written = -1;
  private boolean announced;
  private Thread refresher;
  private Thread finalWrite;

  /** @param json where the JSON report goes, or {@code null} to print summaries only */
  public ReportWriter(SiteReport report, Path json) {
    this.report = report;
    this.json = json;
    this.text = json == null ? null : textPath(json);
  }

  /** {@code r.json} becomes {@code r.txt}; any other name gets {@code .txt} appended. */
  public static Path textPath(Path json) {
    String name = json.getFileName().toString();
    String base = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
    return json.resolveSibling(base + ".txt");
  }

  /** Starts the refresher thread and registers the shutdown hook. */
  public synchronized void start() {
    refresher = new Thread(this::refreshLoop, "rebyte-report");
    refresher.setDaemon(true);
    refresher.start();
    finalWrite = new Thread(this::finish, "rebyte-report-final");
    Runtime.getRuntime().addShutdownHook(finalWrite);
  }

  /** Writes a last time and stops: the agent was reset ({@code mode=off}); a new install writes anew. */
  public synchronized void stop() {
    if (refresher == null) {
      return;
    }
    refresher.interrupt();
    try {
      Runtime.getRuntime().removeShutdownHook(finalWrite);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the hook writes anyway
    }
    refresher = null;
    refresh(true);
  }

  private void refreshLoop() {
    try {
      while (true) {
        Thread.sleep(PERIOD_MS);
        refresh(false);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void finish() {
    refresh(true);
    AgentLog.flush();
  }

  /** Writes when changed; prints the summary the first time and, with {@code last}, again. */
  synchronized void refresh(boolean last) {
    SiteReport.Snapshot s = report.snapshot();
    if (json != null && s.version() != written) {
      try {
        writeAtomically(json, ReportFormats.json(s));
        writeAtomically(text, ReportFormats.text(s));
        written = s.version();
      } catch (IOException | RuntimeException e) {
        AgentLog.log("could not write the report " + json + ": " + e);
      }
    }
    if ((!announced && s.version() > 0) || last) {
      announced = true;
      String where = json == null ? "no report file (set rebyte.report)" : "see " + json;
      AgentLog.log(s.summary() + ": " + where);
      String owners = s.ownersLine();
      if (!owners.isEmpty()) {
        AgentLog.log(owners);
      }
    }
  }

  private static void writeAtomically(Path target, String content) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, target.getFileName().toString(), ".tmp");
    try {
      Files.write(tmp, content.getBytes(StandardCharsets.UTF_8));
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
