package dev.rebyte.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebyte.it.peer.PeerSuiteMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A peer's own test suite under the agent (issue 6): commons-compress 1.28.0's published test jar,
 * run by the JUnit Platform Console Launcher in forked JVMs without and with the agent rewriting
 * {@code org.apache.commons.compress} (min-size 1, so that every proven site pools). The sets of
 * passing tests must be identical and the pool must report hits and pooled releases.
 *
 * <p><b>Subset.</b> The whole suite takes over two minutes per run here (2 cores), four runs per
 * build. This runs the test classes of the packages that hold the sites the agent pools in
 * commons-compress ({@link #PACKAGES}: cpio, tar, zip, 7z, harmony pack200; see the corpus report),
 * except {@link #EXCLUDED}: {@code SevenZFileTest}, 30 s alone for 42 tests of 7z decoding, whose
 * pooled site (AES key derivation) the other 7z tests do not reach either. Tests that fail without
 * the agent too (paths relative to the source tree, a shaded commons-io only their build has, uid 0)
 * are listed in {@code target/failsafe-reports/peer-suite-jdkN.md}, not hidden.
 *
 * <p><b>Temporary files.</b> The suite writes numbered files ({@code .zip}, {@code .tmp}, ...) to
 * {@code java.io.tmpdir} and does not delete them all; each run checks that its JVM had the run's
 * own directory under {@code target/forked/} ({@link ForkedJvm#runDirectory()}), so none reaches the
 * system's temporary directory, and the report counts what was left there.
 *
 * <p><b>Owners (issue 10).</b> A second test runs the same subset with {@code owners=true} as well,
 * so that the buffers commons-compress's streams and archivers keep in private fields are pooled
 * too, and compares it with the same run without the agent (run once per JVM for both tests). It
 * runs on every JVM of {@link Jdks#all}: one run of the subset takes ~15 s here, so owners add under
 * half a minute per JVM to the build.
 */
class PeerSuiteIT {
  static final List<String> PACKAGES = List.of(
      "org.apache.commons.compress.archivers.cpio",
      "org.apache.commons.compress.archivers.tar",
      "org.apache.commons.compress.archivers.zip",
      "org.apache.commons.compress.archivers.sevenz",
      "org.apache.commons.compress.harmony.pack200");
  static final List<String> EXCLUDED = List.of("org.apache.commons.compress.archivers.sevenz.SevenZFileTest");

  @TempDir Path dir;

  @ParameterizedTest
  @MethodSource("dev.rebyte.it.Jdks#all")
  void commonsCompressSuite_passesTheSameTests_withTheAgent(Path java) throws Exception {
    Map<String, String> plain = plainResults(java);
    Path report = dir.resolve("rebyte-report.json");
    Map<String, String> agent = run(java, "agent", "include=org.apache.commons.compress;min-size=1;report=" + report);
    ForkedJvm.Result agentRun = lastRun;

    String name = "peer-suite-" + Corpus.jdkName(java) + ".md";
    Corpus.writeReport(name, report(java, "with agent", plain, agent, agentRun, null));
    assertTrue(plain.size() > 500, "the suite ran: " + plain.size() + " tests");
    assertEquals(passing(plain), passing(agent), "passing tests differ with the agent; see " + name);
    assertEquals(plain.keySet(), agent.keySet(), "the same tests ran");
    Map<String, Long> pool = agentRun.poolStats();
    assertTrue(pool.getOrDefault("Hits", 0L) > 0, "the rewrite ran and pooled" + agentRun.describe());
    assertTrue(pool.getOrDefault("ReleasesPooled", 0L) > 0, agentRun.describe());
    assertEquals(0L, pool.getOrDefault("ReleasesRejected", -1L), agentRun.describe());
    assertTrue(agentRun.stderrLines("[rebyte] left ").isEmpty(), "no class failed open" + agentRun.describe());
  }

  /**
   * Issue 10: the same subset with owner-scoped buffers pooled ({@code owners=true}, min-size 1): the
   * same tests pass, at least one site is pooled as {@code OWNED_BY_INSTANCE}, no release is
   * rejected, no pooled array is written after its release, no class fails open and the agent
   * reports no other problem. Leaks are reported, not asserted: the suite opens many streams it
   * never closes (and some on purpose, to test what happens then), and an owner-scoped buffer whose
   * owner is collected unclosed is a leak by design; the sampled leak detector may see some of them.
   */
  @ParameterizedTest
  @MethodSource("dev.rebyte.it.Jdks#all")
  void commonsCompressSuite_passesTheSameTests_withOwnersOn(Path java) throws Exception {
    Map<String, String> plain = plainResults(java);
    Path report = dir.resolve("rebyte-report.json");
    Map<String, String> owners = run(java, "owners",
        "include=org.apache.commons.compress;min-size=1;owners=true;report=" + report);
    ForkedJvm.Result ownersRun = lastRun;
    assertTrue(Files.exists(report), "no site report" + ownersRun.describe());
    SiteReportFile sites = SiteReportFile.read(report);

    String name = "peer-suite-owners-" + Corpus.jdkName(java) + ".md";
    Corpus.writeReport(name, report(java, "with owners=true", plain, owners, ownersRun, sites));
    assertTrue(plain.size() > 500, "the suite ran: " + plain.size() + " tests");
    assertEquals(passing(plain), passing(owners), "passing tests differ with owners=true; see " + name);
    assertEquals(plain.keySet(), owners.keySet(), "the same tests ran");
    Map<String, Long> pool = ownersRun.poolStats();
    assertTrue(pool.getOrDefault("Hits", 0L) > 0, "the rewrite ran and pooled" + ownersRun.describe());
    assertEquals(0L, pool.getOrDefault("ReleasesRejected", -1L), ownersRun.describe());
    assertEquals(0L, pool.getOrDefault("UseAfterRelease", -1L), ownersRun.describe());
    assertEquals(List.of(), ownersRun.agentProblemsExceptLeaks(), "the agent reported a problem" + ownersRun.describe());
    assertEquals(0, sites.count("failedClasses"), sites.json);
    assertTrue(sites.sites.stream().anyMatch(s -> s.get("reason").equals("OWNED_BY_INSTANCE")
        && s.get("decision").equals("POOLED")), "no owner-scoped site pooled in commons-compress; see " + name);
    assertTrue(sites.sites.stream().noneMatch(s -> s.get("reason").equals("OWNERS_DISABLED")),
        "owners=true, yet a site was left alone as OWNERS_DISABLED; see " + name);
  }

  /** The suite's results without the agent on {@code java}: run once per JVM for both tests. */
  private Map<String, String> plainResults(Path java) throws Exception {
    synchronized (PLAIN) {
      Map<String, String> plain = PLAIN.get(java);
      if (plain == null) {
        plain = run(java, "plain", null);
        PLAIN.put(java, plain);
      }
      return plain;
    }
  }

  private static final Map<Path, Map<String, String>> PLAIN = new HashMap<>(); // guarded by itself

  private ForkedJvm.Result lastRun;
  private String lastArgument;
  private Path lastTmp;

  /** Runs the selection; test id (class#name) -> status (passed, failed: message, skipped, aborted). */
  private Map<String, String> run(Path java, String label, String agentArgument) throws Exception {
    Path work = Files.createDirectories(dir.resolve(label));
    // The suite reads some resources by paths relative to its source tree: give it one.
    Path tests = Corpus.PEER.resolve("test-classes").toAbsolutePath();
    Files.createDirectories(work.resolve("src/test"));
    Files.createSymbolicLink(work.resolve("src/test/resources"), tests);
    Files.createDirectories(work.resolve("target"));
    Files.createSymbolicLink(work.resolve("target/test-classes"), tests);
    Path reports = work.resolve("reports");

    List<Path> cp = new ArrayList<>();
    cp.add(ForkedJvm.TEST_CLASSES);
    cp.add(tests);
    cp.add(Corpus.jar(Corpus.JARS, "commons-compress-"));
    cp.add(Corpus.jar(Corpus.JARS, "xz-"));
    cp.add(Corpus.jar(Corpus.JARS, "aircompressor-"));
    for (String dep : List.of("commons-io-", "commons-lang3-", "zstd-jni-", "dec-", "asm-")) {
      cp.add(Corpus.jar(Corpus.DEPS, dep));
    }
    cp.addAll(Corpus.jars(Corpus.PEER.resolve("lib")));

    List<String> args = new ArrayList<>(List.of("execute", "--disable-banner", "--details=summary",
        "--reports-dir=" + reports));
    PACKAGES.forEach(p -> args.add("--select-package=" + p));
    EXCLUDED.forEach(c -> args.add("--exclude-classname=" + c.replace(".", "\\.")));
    ForkedJvm jvm = ForkedJvm.on(java).classPath(cp).directory(work)
        .jvm("-Xmx1g", "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "-Dnet.bytebuddy.experimental=true")
        .timeoutSeconds(300)
        .main(PeerSuiteMain.class, args.toArray(new String[0]));
    if (agentArgument != null) {
      jvm.agent(agentArgument);
    }
    ForkedJvm.Result r = jvm.run();
    lastRun = r;
    lastArgument = agentArgument;
    List<String> tmp = r.stderrLines("[peer] java.io.tmpdir=");
    assertEquals(1, tmp.size(), "the suite's temporary directory (" + label + ")" + r.describe());
    lastTmp = Path.of(tmp.get(0).substring("[peer] java.io.tmpdir=".length()));
    assertTrue(lastTmp.startsWith(ForkedJvm.RUNS), "the suite writes its temporary files to " + lastTmp
        + ", not to the run's directory under " + ForkedJvm.RUNS);
    Path xml = reports.resolve("TEST-junit-jupiter.xml");
    assertTrue(Files.exists(xml), "no JUnit report (" + label + ")" + r.describe());
    return results(xml);
  }

  static Map<String, String> results(Path xml) throws Exception {
    Map<String, String> out = new TreeMap<>();
    NodeList cases = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile())
        .getElementsByTagName("testcase");
    for (int i = 0; i < cases.getLength(); i++) {
      Element c = (Element) cases.item(i);
      String id = c.getAttribute("classname") + "#" + c.getAttribute("name");
      String status = "passed";
      for (String kind : List.of("failure", "error", "skipped")) {
        NodeList n = c.getElementsByTagName(kind);
        if (n.getLength() > 0) {
          Element e = (Element) n.item(0);
          String message = e.getAttribute("message");
          status = (kind.equals("skipped") ? "skipped" : "failed") + ": " + e.getAttribute("type") + " "
              + (message.length() > 160 ? message.substring(0, 160) + "..." : message).replace('\n', ' ');
          break;
        }
      }
      out.put(id, status);
    }
    return out;
  }

  private static long countFiles(Path dir) {
    try (var files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).count();
    } catch (java.io.IOException e) {
      return -1;
    }
  }

  private static TreeSet<String> passing(Map<String, String> results) {
    return results.entrySet().stream().filter(e -> e.getValue().equals("passed")).map(Map.Entry::getKey)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static long count(Map<String, String> results, String prefix) {
    return results.values().stream().filter(v -> v.startsWith(prefix)).count();
  }

  private String report(Path java, String label, Map<String, String> plain, Map<String, String> agent,
      ForkedJvm.Result agentRun, SiteReportFile sites) {
    StringBuilder b = new StringBuilder("# commons-compress 1.28.0's own tests under the agent (" + label + ")\n\n");
    b.append("Agent argument: `").append(lastArgument).append("`\n\n");
    b.append(java).append("\n\nSelected packages: ").append(String.join(", ", PACKAGES))
        .append("; excluded classes: ").append(String.join(", ", EXCLUDED)).append(".\n\n");
    b.append("| run | tests | passed | failed | skipped |\n|---|---:|---:|---:|---:|\n");
    b.append("| without agent | ").append(plain.size()).append(" | ").append(count(plain, "passed")).append(" | ")
        .append(count(plain, "failed")).append(" | ").append(count(plain, "skipped")).append(" |\n");
    b.append("| ").append(label).append(" | ").append(agent.size()).append(" | ").append(count(agent, "passed")).append(" | ")
        .append(count(agent, "failed")).append(" | ").append(count(agent, "skipped")).append(" |\n\n");
    b.append("Identical set of passing tests: ").append(passing(plain).equals(passing(agent))).append("\n\n");
    b.append("Temporary files the suite left (agent run): ").append(countFiles(lastTmp)).append(" in `")
        .append(lastTmp).append("`\n\n");
    b.append("Pool (agent run, at exit): ").append(agentRun.poolStats()).append("\n\n");
    b.append("Agent summary: ").append(String.join(" / ", agentRun.stderrLines("[rebyte] rewrote"))).append("\n\n");
    List<String> problems = agentRun.agentProblems();
    b.append("Agent problems (leaks included): ").append(problems.isEmpty() ? "none" : problems.size() + "").append("\n\n");
    problems.stream().limit(20).forEach(p -> b.append("- `").append(p).append("`\n"));
    if (sites != null) {
      b.append("\n## Sites by decision and reason\n\n");
      new TreeMap<>(sites.sites.stream().collect(Collectors.groupingBy(s -> s.get("decision") + " " + s.get("reason"),
          Collectors.counting()))).forEach((k, n) -> b.append("- ").append(k).append(": ").append(n).append('\n'));
      b.append("\n## Owner-scoped sites\n\n");
      List<Map<String, String>> owned = sites.sites.stream().filter(s -> s.get("reason").equals("OWNED_BY_INSTANCE"))
          .collect(Collectors.toList());
      owned.forEach(s -> b.append("- `").append(s.get("class")).append('#').append(s.get("method")).append("` line ")
          .append(s.get("line")).append(": ").append(s.get("detail")).append('\n'));
      b.append(owned.isEmpty() ? "none\n" : "");
    }
    b.append('\n');
    b.append("## Tests that fail or are skipped without the agent (environment)\n\n");
    plain.forEach((id, s) -> {
      if (!s.equals("passed")) {
        b.append("- `").append(id).append("`: ").append(s).append('\n');
      }
    });
    b.append("\n## Differences with the agent\n\n");
    boolean any = false;
    for (String id : new TreeSet<>(agent.keySet())) {
      if (!agent.get(id).equals(plain.get(id))) {
        any = true;
        b.append("- `").append(id).append("`: without ").append(plain.get(id)).append("; with ").append(agent.get(id)).append('\n');
      }
    }
    if (!any) {
      b.append("none\n");
    }
    return b.toString();
  }
}
