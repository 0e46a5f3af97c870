package dev.rebyte.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebyte.it.workload.AllocWorkload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code advise} on a recording of a workload whose hot site is known ({@link AllocWorkload#hot},
 * 64 KiB per call): it must rank that site first, say it will be pooled, explain the colder ones,
 * and propose its package.
 */
class AdviseIT {
  private static final String HOT = AllocWorkload.class.getName() + ".hot(I)J line ";

  @TempDir Path dir;

  @ParameterizedTest
  @MethodSource("dev.rebyte.it.Jdks#all")
  void advise_namesTheHotSiteAndProposesItsPackage(Path java) throws Exception {
    Path jfr = dir.resolve("rec.jfr");
    ForkedJvm.Result workload = ForkedJvm.on(java)
        .jvm("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile,dumponexit=true")
        .main(AllocWorkload.class, "1500").run();
    assertEquals(0, workload.exitCode, workload.describe());
    assertTrue(Files.size(jfr) > 0, workload.describe());

    Path properties = dir.resolve("rebyte.properties");
    ForkedJvm.Result advise = AgentCli.run(java, "advise", jfr.toString(), "--classes",
        ForkedJvm.TEST_CLASSES.toString(), "--output", properties.toString());
    assertEquals(0, advise.exitCode, advise.describe());
    String text = Files.readString(properties);
    System.out.println("advise on " + java + " (" + advise.millis + " ms):\n" + text);
    List<String> lines = Arrays.asList(text.split("\\R"));
    int first = indexOf(lines, "#  1 ");
    assertTrue(first > 0 && lines.get(first).contains(HOT), "the hot site ranks first\n" + text);
    assertEquals("#        POOLED: will be pooled", lines.get(first + 1), text);
    assertTrue(text.contains(AllocWorkload.class.getName() + ".kept(I)J line "), text);
    assertTrue(text.contains("REJECTED STORED_IN_STATIC: stored in a static field"), text);
    assertTrue(text.contains("allocated inside java.util.Arrays.copyOf"), text);
    assertTrue(text.contains("# will be pooled: 1 hot site, estimated saving up to "), text);
    assertEquals(List.of("rebyte.include=dev.rebyte.it.workload"),
        lines.stream().filter(l -> l.startsWith("rebyte.include=")).collect(Collectors.toList()), text);

    // Without --classes: the same ranking, decisions unknown; and printed, not written.
    ForkedJvm.Result bare = AgentCli.run(java, "advise", jfr.toString(), "--include", "dev.rebyte.it.workload");
    assertEquals(0, bare.exitCode, bare.describe());
    assertTrue(bare.stdout.contains("#  1 ") && bare.stdout.split("#  1 ")[1].split("\\R")[0].contains(HOT), bare.describe());
    assertTrue(bare.stdout.contains("rebyte.include=dev.rebyte.it.workload\n"), bare.describe());
  }

  private static int indexOf(List<String> lines, String prefix) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }
}
