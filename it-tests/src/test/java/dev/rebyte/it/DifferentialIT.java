package dev.rebyte.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebyte.it.apps.SizesApp;
import dev.rebyte.it.apps.codec.CodecApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential tests (issue 6): the same program with and without the agent prints byte-identical
 * output, while the pool shows that rewritten sites were hit. Issue 10 adds the same codecs with
 * owner-scoped buffers pooled ({@code owners=true}).
 */
class DifferentialIT {
  /** The app's package and the three codec libraries. */
  static final String INCLUDE = "dev.rebyte.it.apps.codec,org.apache.commons.compress,io.airlift.compress,org.tukaani.xz";

  /**
   * CodecApp's output without the agent, by JVM: both codec tests compare with it, so it runs once
   * per JVM (~15 s each) whichever of them comes first.
   */
  private static final Map<Path, ForkedJvm.Result> PLAIN = new HashMap<>(); // guarded by DifferentialIT.class

  @TempDir Path dir;

  /**
   * gzip, deflate, bzip2, xz, LZ4 framed and block (commons-compress, xz), zstd and LZ4
   * (aircompressor), gzip and Deflater/Inflater (the JDK, driven by the app's pooled buffers) over
   * empty, one-byte, text, random, already-compressed, real (a jar) inputs and sizes on both sides of
   * 4 KiB, 8 KiB, 64 KiB and 1 MiB: every compressed output's SHA-256 and every round trip.
   */
  @ParameterizedTest
  @MethodSource("dev.rebyte.it.Jdks#all")
  void codecs_sameBytesWithTheAgent_andPooledSitesHit(Path java) throws Exception {
    ForkedJvm.Result plain = plainCodecRun(java);
    Path report = dir.resolve("r.json");
    ForkedJvm.Result agent = codecJvm(java).agent("include=" + INCLUDE + ";report=" + report)
        .main(CodecApp.class, realData().toString()).run();
    assertEquals(0, agent.exitCode, agent.describe());

    assertEquals(plain.stdout, agent.stdout, "compressed bytes differ with the agent" + agent.describe());

    SiteReportFile r = SiteReportFile.read(report);
    assertEquals("POOLED NON_ESCAPING", r.decisionOf(CodecApp.class.getName(), "copy"), r.json);
    assertEquals(0, r.count("failedClasses"), r.json);
    assertTrue(r.sites.stream().anyMatch(s -> s.get("decision").equals("POOLED")
        && !s.get("class").startsWith("dev.rebyte.")), "a library site is pooled too" + r.json);
    Map<String, Long> pool = agent.poolStats();
    assertTrue(pool.getOrDefault("Hits", 0L) > 100, agent.describe());
    assertTrue(pool.getOrDefault("ReleasesPooled", 0L) > 100, agent.describe());
    assertEquals(0L, pool.getOrDefault("ReleasesRejected", -1L), agent.describe());
    Corpus.writeReport("differential-" + Corpus.jdkName(java) + ".md", "# Differential codecs\n\n"
        + java + "\n\nwithout agent: " + plain.millis + " ms; with agent: " + agent.millis + " ms\n\n"
        + "pool: " + pool + "\n\n" + agent.stderrLines("[rebyte] rewrote") + "\n\n```\n" + agent.stdout + "```\n");
  }

  /**
   * Issue 10: the same codecs and inputs with {@code owners=true}, so that the buffers the codec
   * streams keep in private fields for their lifetime (gzip's input buffer, the LZ77 window of the
   * LZ4 decompressors, the framed LZ4 block buffers, ...) are borrowed when a stream opens and given
   * back when it closes. The output must be byte-identical to the run without the agent, at least one such site
   * must be pooled ({@code OWNED_BY_INSTANCE}), and the agent must log no problem at all.
   *
   * <p>Leak detection is {@code paranoid} (every borrow tracked) rather than the default sampled one:
   * CodecApp closes every stream it opens (try-with-resources), so a leak here means an owner that
   * is collected without its buffer having been given back: either the rewritten {@code close()}
   * missed it, or a library drops an inner stream without closing it, which the test should show
   * rather than sample away. Leaks are only seen once the GC has collected the owner; with
   * {@code -Xmx512m} and this much allocation, collections run throughout.
   */
  @ParameterizedTest
  @MethodSource("dev.rebyte.it.Jdks#all")
  void codecs_sameBytesWithOwnersOn_andNoAgentProblem(Path java) throws Exception {
    ForkedJvm.Result plain = plainCodecRun(java);
    Path report = dir.resolve("owners.json");
    ForkedJvm.Result owners = codecJvm(java)
        .agent("include=" + INCLUDE + ";owners=true;leak-detection=paranoid;report=" + report)
        .main(CodecApp.class, realData().toString()).run();
    assertTrue(Files.exists(report), "no site report" + owners.describe());
    SiteReportFile r = SiteReportFile.read(report);
    List<Map<String, String>> owned = r.sites.stream().filter(s -> s.get("reason").equals("OWNED_BY_INSTANCE"))
        .collect(Collectors.toList());
    Map<String, Long> pool = owners.poolStats();
    Corpus.writeReport("differential-owners-" + Corpus.jdkName(java) + ".md", "# Differential codecs, owners=true\n\n"
        + java + "\n\nwithout agent: " + plain.millis + " ms; with owners=true: " + owners.millis + " ms\n\n"
        + "pool: " + pool + "\n\n" + owners.stderrLines("[rebyte] rewrote") + "\n\n"
        + "## Owner-scoped sites\n\n" + siteList(owned) + "\n## Owner candidates left alone\n\n"
        + siteList(r.sites.stream().filter(s -> s.get("reason").startsWith("FIELD_") || s.get("reason").startsWith("OWNER")
            || s.get("reason").equals("NO_RELEASE_POINT") || s.get("reason").equals("LIVE_ACROSS_RELEASE"))
            .collect(Collectors.toList()))
        + "\n## Agent problems\n\n" + owners.agentProblems() + "\n\n```\n" + owners.stdout + "```\n");

    assertEquals(0, owners.exitCode, owners.describe());
    assertEquals(plain.stdout, owners.stdout, "compressed bytes differ with owners=true" + owners.describe());
    assertEquals(List.of(), owners.agentProblems(), "the agent reported a problem" + owners.describe());
    assertEquals(0, r.count("failedClasses"), r.json);
    assertFalse(owned.isEmpty(), "no owner-scoped site was pooled in the codecs" + r.json);
    for (Map<String, String> s : owned) {
      assertEquals("POOLED OWNED", s.get("decision") + " " + s.get("mode"), s.toString());
    }
    assertTrue(r.sites.stream().noneMatch(s -> s.get("reason").equals("OWNERS_DISABLED")),
        "owners=true, yet a site was left alone as OWNERS_DISABLED" + r.json);
    assertTrue(pool.getOrDefault("Hits", 0L) > 100, owners.describe());
    assertEquals(0L, pool.getOrDefault("ReleasesRejected", -1L), owners.describe());
    assertEquals(0L, pool.getOrDefault("Leaks", -1L), "an owner was collected without giving its buffer back" + owners.describe());
    assertEquals(0L, pool.getOrDefault("UseAfterRelease", -1L), owners.describe());
  }

  /** new byte[-1], new byte[0], new byte[Integer.MAX_VALUE] at a rewritten site: exactly as before. */
  @ParameterizedTest
  @MethodSource("dev.rebyte.it.Jdks#all")
  void extremeSizes_behaveAsWithoutTheAgent(Path java) throws Exception {
    ForkedJvm.Result plain = ForkedJvm.on(java).main(SizesApp.class).run();
    Path report = dir.resolve("r.json");
    ForkedJvm.Result agent = ForkedJvm.on(java).agent("include=dev.rebyte.it.apps;report=" + report)
        .main(SizesApp.class).run();
    assertEquals(0, plain.exitCode, plain.describe());
    assertEquals(0, agent.exitCode, agent.describe());
    assertEquals(List.of(
            "n=-1 -> java.lang.NegativeArraySizeException: -1",
            "n=0 -> length 0",
            "n=2147483647 -> java.lang.OutOfMemoryError: Requested array size exceeds VM limit",
            "n=2147483645 -> java.lang.OutOfMemoryError: Java heap space",
            "n=8192 -> length 8192"),
        plain.stdout.lines().collect(Collectors.toList()), plain.describe());
    assertEquals(plain.stdout, agent.stdout, agent.describe());
    assertEquals("POOLED NON_ESCAPING", SiteReportFile.read(report).decisionOf(SizesApp.class.getName(), "sum"));
    assertTrue(agent.poolStats().getOrDefault("Bypasses", 0L) + agent.poolStats().getOrDefault("Misses", 0L) > 0,
        "the rewritten site ran" + agent.describe());
  }

  /** CodecApp without the agent on {@code java}, run once per JVM and checked (see {@link #PLAIN}). */
  private static synchronized ForkedJvm.Result plainCodecRun(Path java) throws Exception {
    ForkedJvm.Result plain = PLAIN.get(java);
    if (plain == null) {
      plain = codecJvm(java).main(CodecApp.class, realData().toString()).run();
      assertEquals(0, plain.exitCode, plain.describe());
      List<String> lines = plain.stdout.lines().collect(Collectors.toList());
      assertEquals(10 * 16 - 4, lines.size(), "10 codecs x 16 inputs, less 4 large ones for commons-compress LZ4" + plain.describe());
      assertTrue(lines.stream().noneMatch(l -> l.contains("DIFFERS")), plain.describe());
      assertEquals(List.of("cc-lz4-block empty"), lines.stream().filter(l -> l.contains(" error="))
          .map(l -> l.substring(0, l.indexOf(" error="))).collect(Collectors.toList()),
          "only block LZ4's known limit (CodecApp.knownLimit) is output; any other failure fails the run"
          + plain.describe());
      PLAIN.put(java, plain);
    }
    return plain;
  }

  /** A real file for CodecApp's "real-jar" input. */
  private static Path realData() {
    return Corpus.jar(Corpus.JARS, "jackson-core-");
  }

  /** One markdown line per site: class#method line, length, decision, reason, detail. */
  private static String siteList(List<Map<String, String>> sites) {
    if (sites.isEmpty()) {
      return "none\n";
    }
    StringBuilder b = new StringBuilder();
    for (Map<String, String> s : sites) {
      b.append("- `").append(s.get("class")).append('#').append(s.get("method")).append("` line ").append(s.get("line"))
          .append(", length ").append(s.get("constantLength")).append(": ").append(s.get("decision")).append(' ')
          .append(s.get("reason")).append(s.get("detail").isEmpty() ? "" : " (" + s.get("detail") + ")").append('\n');
    }
    return b.toString();
  }

  private static ForkedJvm codecJvm(Path java) throws Exception {
    List<Path> cp = new ArrayList<>();
    cp.add(ForkedJvm.TEST_CLASSES);
    for (String jar : List.of("commons-compress-", "xz-", "aircompressor-", "commons-codec-")) {
      cp.add(Corpus.jar(Corpus.JARS, jar));
    }
    cp.add(Corpus.jar(Corpus.DEPS, "commons-io-"));
    cp.add(Corpus.jar(Corpus.DEPS, "commons-lang3-"));
    return ForkedJvm.on(java).classPath(cp).jvm("-Xmx512m").timeoutSeconds(180);
  }
}
