package dev.rebyte.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebyte.it.apps.SizesApp;
import dev.rebyte.it.apps.codec.CodecApp;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential tests (issue 6): the same program with and without the agent prints byte-identical
 * output, while the pool shows that rewritten sites were hit.
 */
class DifferentialIT {
  /** The app's package and the three codec libraries. */
  static final String INCLUDE = "dev.rebyte.it.apps.codec,org.apache.commons.compress,io.airlift.compress,org.tukaani.xz";

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
    Path realData = Corpus.jar(Corpus.JARS, "jackson-core-");
    ForkedJvm.Result plain = codecJvm(java).main(CodecApp.class, realData.toString()).run();
    assertEquals(0, plain.exitCode, plain.describe());
    Path report = dir.resolve("r.json");
    ForkedJvm.Result agent = codecJvm(java).agent("include=" + INCLUDE + ";report=" + report)
        .main(CodecApp.class, realData.toString()).run();
    assertEquals(0, agent.exitCode, agent.describe());

    List<String> lines = plain.stdout.lines().collect(Collectors.toList());
    assertEquals(10 * 16 - 4, lines.size(), "10 codecs x 16 inputs, less 4 large ones for commons-compress LZ4" + plain.describe());
    assertTrue(lines.stream().noneMatch(l -> l.contains("DIFFERS")), plain.describe());
    assertTrue(lines.stream().filter(l -> l.contains(" error=")).count() <= 2, "only block LZ4's known limit" + plain.describe());
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
