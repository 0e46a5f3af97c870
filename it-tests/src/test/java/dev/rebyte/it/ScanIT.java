package dev.rebyte.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebyte.it.apps.CopyApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code java -jar rebyte-agent.jar scan} on commons-compress 1.28.0 and on an app the agent also runs. */
class ScanIT {
  static final Path COMPRESS = Paths.get(System.getProperty("it.scan.inputs", "target/scan-inputs"),
      "commons-compress-1.28.0.jar");
  /** commons-compress with commons-io, whose types it extends, as one class path input. */
  static final String COMPRESS_PATH = COMPRESS + java.io.File.pathSeparator
      + COMPRESS.resolveSibling("commons-io-2.20.0.jar");
  static final Pattern SUMMARY = Pattern.compile("scanned (\\d+) classes \\((\\d+) selected\\) in \\d+ inputs?: "
      + "would rewrite (\\d+) sites in (\\d+) classes, rejected (\\d+), skipped (\\d+), failed classes 0");
  private static final String PACKING = "org.apache.commons.compress.harmony.pack200.PackingUtils";

  @TempDir Path dir;

  @ParameterizedTest
  @MethodSource("dev.rebyte.it.Jdks#all")
  void scan_commonsCompress_tableWithKnownDecisionsAndSummary(Path java) throws Exception {
    ForkedJvm.Result r = AgentCli.run(java, "scan", "--include", "org.apache.commons.compress", COMPRESS_PATH);
    assertEquals(0, r.exitCode, r.describe());
    String[] lines = r.stdout.split("\\R");
    Matcher m = SUMMARY.matcher(lines[lines.length - 1]);
    assertTrue(m.matches(), "summary is the last line" + r.describe());
    assertEquals(589, Integer.parseInt(m.group(2)), "every commons-compress class is selected");
    assertTrue(Integer.parseInt(m.group(1)) > 500 && Integer.parseInt(m.group(3)) > 0, r.describe());
    // Grouped by class; one line per site, the reason's description under every site not pooled.
    String table = r.stdout;
    assertTrue(table.contains("\n" + PACKING + "  ("), table);
    assertTrue(Pattern.compile("POOLED +NON_ESCAPING +16384 +\\d+  copyThroughJar\\(Ljava/util/jar/JarFile;Ljava/io/OutputStream;\\)V")
        .matcher(table).find(), table);
    assertTrue(Pattern.compile("REJECTED +STORED_IN_STATIC +8192 +\\d+  <clinit>\\(\\)V\\R +stored in a static field: "
        + "org/apache/commons/compress/utils/SkipShieldingInputStream.SKIP_BUFFER").matcher(table).find(), table);
    assertTrue(Pattern.compile("SKIPPED +BELOW_MIN_SIZE +12 +\\d+  detect\\(Ljava/io/InputStream;\\)Ljava/lang/String;")
        .matcher(table).find(), table);
    System.out.println("scan " + java + ": " + lines[lines.length - 1] + " (" + r.millis + " ms)");
  }

  /** JSON: parses, has the agent report's shape, and says the same as the table. */
  @Test
  void scanJson_commonsCompress_parsesWithAgentSchema() throws Exception {
    Path java = Jdks.all().get(0);
    ForkedJvm.Result r = AgentCli.run(java, "scan", "--json", "--include", "org.apache.commons.compress.harmony",
        COMPRESS.toString());
    assertEquals(0, r.exitCode, r.describe());
    @SuppressWarnings("unchecked")
    Map<String, Object> json = (Map<String, Object>) MiniJson.parse(r.stdout);
    assertEquals(List.of("agent", "mode", "generated", "summary", "counts", "skippedLoaders", "failures",
        "owners", "sites"), new ArrayList<>(json.keySet()));
    assertEquals(List.of(), json.get("skippedLoaders"), "a scan loads nothing, so it skips no loader");
    assertEquals("rewrite", json.get("mode"));
    List<?> sites = (List<?>) json.get("sites");
    assertTrue(sites.stream().allMatch(s -> ((String) ((Map<?, ?>) s).get("class")).startsWith("org.apache.commons.compress.harmony.")));
    assertTrue(sites.stream().anyMatch(s -> PACKING.equals(((Map<?, ?>) s).get("class"))
        && "copyThroughJar".equals(((Map<?, ?>) s).get("method")) && "POOLED".equals(((Map<?, ?>) s).get("decision"))), r.stdout);
    Map<?, ?> counts = (Map<?, ?>) json.get("counts");
    assertEquals((long) sites.stream().filter(s -> "POOLED".equals(((Map<?, ?>) s).get("decision"))).count(), counts.get("pooled"));
    assertTrue(r.stderr.contains("would rewrite " + counts.get("pooled") + " sites"), r.describe());
  }

  /** Scan and agent agree: same keys, same sites, same decisions for an app the agent really runs. */
  @Test
  void scanJson_matchesTheAgentsReport() throws Exception {
    Path java = Jdks.all().get(0);
    Path report = dir.resolve("r.json");
    ForkedJvm.Result agent = ForkedJvm.on(java).agent("include=dev.rebyte.it.apps.CopyApp;report=" + report)
        .main(CopyApp.class).run();
    assertEquals(0, agent.exitCode, agent.describe());
    ForkedJvm.Result scan = AgentCli.run(java, "scan", "--json", "--include", "dev.rebyte.it.apps.CopyApp",
        ForkedJvm.TEST_CLASSES.toString());
    assertEquals(0, scan.exitCode, scan.describe());
    Map<?, ?> fromAgent = (Map<?, ?>) MiniJson.parse(Files.readString(report));
    Map<?, ?> fromScan = (Map<?, ?>) MiniJson.parse(scan.stdout);
    assertEquals(fromAgent.keySet(), fromScan.keySet());
    assertEquals(((Map<?, ?>) fromAgent.get("counts")).keySet(), ((Map<?, ?>) fromScan.get("counts")).keySet());
    assertEquals(fromAgent.get("counts"), fromScan.get("counts"));
    List<String> agentSites = sites(fromAgent);
    assertEquals(agentSites, sites(fromScan));
    assertTrue(agentSites.size() >= 7, agentSites.toString());
  }

  /** Each site without its runtime id (scan registers nothing): where, decision, reason, detail, size mode. */
  private static List<String> sites(Map<?, ?> report) {
    List<String> out = new ArrayList<>();
    for (Object o : (List<?>) report.get("sites")) {
      Map<?, ?> s = (Map<?, ?>) o;
      assertEquals(List.of("class", "method", "descriptor", "line", "constantLength", "decision", "reason",
          "description", "detail", "reasonLine", "siteId", "mode", "rounding", "roundingDetail", "field"),
          new ArrayList<>(s.keySet()));
      out.add(s.get("class") + "." + s.get("method") + s.get("descriptor") + ":" + s.get("line") + " "
          + s.get("constantLength") + " " + s.get("decision") + " " + s.get("reason") + " " + s.get("detail")
          + " @" + s.get("reasonLine") + " " + s.get("mode") + " " + s.get("rounding"));
    }
    out.sort(null);
    return out;
  }

  @Test
  void scan_badArgumentsAndHelp() throws Exception {
    Path java = Jdks.all().get(0);
    ForkedJvm.Result bad = AgentCli.run(java, "scan", "--min-size", "banana", COMPRESS.toString());
    assertEquals(2, bad.exitCode, bad.describe());
    String[] err = bad.stderr.split("\\R");
    assertEquals(2, err.length, bad.describe());
    assertTrue(err[0].startsWith("rebyte: scan: invalid settings: rebyte.min-size=banana (command line)"), bad.describe());
    assertTrue(err[1].startsWith("usage: java -jar rebyte-agent.jar scan ") && err[1].endsWith("(try 'java -jar rebyte-agent.jar scan --help')"),
        bad.describe());

    ForkedJvm.Result missing = AgentCli.run(java, "scan", dir.resolve("nope.jar").toString());
    assertEquals(2, missing.exitCode, missing.describe());
    assertTrue(missing.stderr.startsWith("rebyte: scan: no such file or directory: "), missing.describe());

    ForkedJvm.Result help = AgentCli.run(java, "scan", "--help");
    assertEquals(0, help.exitCode, help.describe());
    assertTrue(help.stdout.startsWith("usage: java -jar rebyte-agent.jar scan ") && help.stdout.contains("Exit status:\n  0"),
        help.describe());

    ForkedJvm.Result overall = AgentCli.run(java, "--help");
    assertEquals(0, overall.exitCode, overall.describe());
    assertTrue(overall.stdout.contains("scan") && overall.stdout.contains("advise") && overall.stdout.contains("attach")
        && overall.stdout.contains("3  attach"), overall.describe());
  }
}
