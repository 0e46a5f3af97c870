package dev.rebyte.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebyte.agent.decision.Reason;
import dev.rebyte.agent.decision.Rounding;
import dev.rebyte.agent.decision.SiteDecision;
import dev.rebyte.agent.decision.SiteLocation;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportFormatsTest {
  @Test
  void json_escapesStrings() {
    StringBuilder b = new StringBuilder();
    Json.string(b, "a\"b\\c\nd\te\u0001f\u2028");
    assertEquals("\"a\\\"b\\\\c\\nd\\te\\u0001f\\u2028\"", b.toString());
  }

  @Test
  void report_countsAndLists() {
    SiteReport r = new SiteReport("rewrite");
    Object loader = new Object();
    r.recordSites("com.acme.A", loader, List.of(
        SiteDecision.pooled(new SiteLocation("com.acme.A", "copy", "()V", 10, 8192), Reason.NON_ESCAPING).withSiteId(3),
        SiteDecision.pooled(new SiteLocation("com.acme.A", "body", "(I)V", 15, -1), Reason.NON_ESCAPING).withSiteId(4)
            .withRounding(Rounding.BOUNDED, "read([B)I bounded"),
        SiteDecision.rejected(new SiteLocation("com.acme.A", "keep", "()V", 20, 8192), Reason.STORED_IN_FIELD,
            "com/acme/A.kept \"x\"", 21)));
    r.recordSites("com.acme.A", loader, r.snapshot().sites); // a retransform replaces, never doubles
    r.recordFailure("com.acme.B", loader, "TYPE_UNRESOLVED", "missing com/acme/C");
    SiteReport.Snapshot s = r.snapshot();
    assertEquals("rewrote 2 sites in 1 classes, rejected 1, skipped 0, failed classes 1", s.summary());
    String json = ReportFormats.json(s);
    assertTrue(json.contains("\"decision\": \"REJECTED\", \"reason\": \"STORED_IN_FIELD\""), json);
    assertTrue(json.contains("\"detail\": \"com/acme/A.kept \\\"x\\\"\""), json);
    assertTrue(json.contains("\"failedClasses\": 1"), json);
    assertTrue(json.contains("\"siteId\": 4, \"mode\": \"ROUNDED\", \"rounding\": \"BOUNDED\", "
        + "\"roundingDetail\": \"read([B)I bounded\""), json);
    assertTrue(json.contains("\"siteId\": 3, \"mode\": \"EXACT\""), json);
    String text = ReportFormats.text(s);
    assertTrue(text.contains("POOLED   NON_ESCAPING               ROUNDED"), text);
    assertTrue(text.contains("rounded: every capacity observation is bounded by the logical length (read([B)I bounded)"),
        text);
    assertTrue(text.contains("com.acme.B: TYPE_UNRESOLVED (missing com/acme/C)"), text);
  }

  @Test
  void skippedLoaders_countedOnce_inSummaryJsonAndText() {
    SiteReport r = new SiteReport("rewrite");
    assertTrue(ReportFormats.json(r.snapshot()).contains("\"loadersSkipped\": 0, \"classesInSkippedLoaders\": 0"));
    r.recordSkippedLoader("com.acme.Bundle (b1)", "it cannot load dev.rebyte.runtime.Rebyte");
    r.recordSkippedLoader("com.acme.Bundle (b1)", "again");
    r.recordSkippedClass("com.acme.Bundle (b1)", "com.acme.X");
    r.recordSkippedClass("com.acme.Bundle (b1)", "com.acme.X"); // a retransform counts once
    r.recordSkippedClass("com.acme.Bundle (b1)", "com.acme.Y");
    SiteReport.Snapshot s = r.snapshot();
    assertEquals("rewrote 0 sites in 0 classes, rejected 0, skipped 0, failed classes 0, "
        + "class loaders skipped 1 (2 classes unchanged)", s.summary());
    String json = ReportFormats.json(s);
    assertTrue(json.contains("\"loadersSkipped\": 1, \"classesInSkippedLoaders\": 2"), json);
    assertTrue(json.contains("{\"loader\": \"com.acme.Bundle (b1)\", "
        + "\"reason\": \"it cannot load dev.rebyte.runtime.Rebyte\", \"classes\": 2}"), json);
    String text = ReportFormats.text(s);
    assertTrue(text.contains("com.acme.Bundle (b1): it cannot load dev.rebyte.runtime.Rebyte "
        + "(2 selected classes: com.acme.X, com.acme.Y)"), text);
  }

  @Test
  void textPath() {
    assertEquals(Path.of("/t/r.txt"), ReportWriter.textPath(Path.of("/t/r.json")));
    assertEquals(Path.of("/t/report.txt"), ReportWriter.textPath(Path.of("/t/report")));
  }
}
