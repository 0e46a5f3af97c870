package dev.rebyte.agent.transform;

import dev.rebyte.agent.classfile.ClassVerifier;
import dev.rebyte.agent.classfile.TypeHierarchy;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * What verifying the rewritten classes costs: every class of a jar transformed without and with
 * verification ({@code rebyte.owners=true}, {@code rebyte.min-size=1}, so that many classes are
 * rewritten), alternating, after a warm-up; prints each round and the medians. Not a test: run
 *
 * <pre>
 * mvn -B -q -o -pl agent test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * cd agent &amp;&amp; java -cp target/test-classes:target/classes:$(cat /tmp/cp.txt) \
 *     dev.rebyte.agent.transform.VerifyCost JAR [ROUNDS]
 * </pre>
 *
 * <p>with {@code JAR} the corpus jar that the it-tests build puts in
 * ({@code it-tests/target/corpus/commons-compress-1.28.0.jar}) and {@code ROUNDS} 5 by default.
 */
public final class VerifyCost {
  private VerifyCost() {}

  public static void main(String[] args) throws IOException {
    Path jar = Paths.get(args[0]);
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    List<byte[]> classes = read(jar);
    TransformSettings settings = TransformSettings.builder().minSize(1).owners(name -> true).build();
    ClassTransformer without = new ClassTransformer(settings, (s, m) -> 0, false);
    ClassTransformer with = new ClassTransformer(settings, (s, m) -> 0, true);
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
      TypeHierarchy hierarchy = TypeHierarchy.fromResources(loader);
      int[] changed = new int[2];
      for (int warm = 0; warm < 5; warm++) {
        changed[0] = run(without, classes, hierarchy, null);
        changed[1] = run(with, classes, hierarchy, null);
      }
      List<byte[]> rewritten = new ArrayList<>();
      run(without, classes, hierarchy, rewritten);
      long[] off = new long[rounds];
      long[] on = new long[rounds];
      long[] all = new long[rounds];
      int[] allFailures = new int[1];
      for (int r = 0; r < rounds; r++) {
        long t0 = System.nanoTime();
        run(without, classes, hierarchy, null);
        long t1 = System.nanoTime();
        run(with, classes, hierarchy, null);
        long t2 = System.nanoTime();
        allFailures[0] = verifyAll(rewritten, hierarchy);
        long t3 = System.nanoTime();
        off[r] = t1 - t0;
        on[r] = t2 - t1;
        all[r] = t3 - t2;
        System.out.printf("round %d: without %.1f ms, with %.1f ms, every method of the rewritten %.1f ms%n",
            r + 1, off[r] / 1e6, on[r] / 1e6, all[r] / 1e6);
      }
      System.out.printf("%d classes, %d rewritten without verification, %d with; %d rewritten classes fail"
          + " when every method is verified%n", classes.size(), changed[0], changed[1], allFailures[0]);
      System.out.printf("median: without %.1f ms (%.1f..%.1f), with %.1f ms (%.1f..%.1f): %.1f us per"
          + " rewritten class; every method of the rewritten classes alone %.1f ms (%.1f..%.1f)%n",
          median(off) / 1e6, min(off) / 1e6, max(off) / 1e6, median(on) / 1e6, min(on) / 1e6,
          max(on) / 1e6, (median(on) - median(off)) / 1e3 / Math.max(1, changed[1]),
          median(all) / 1e6, min(all) / 1e6, max(all) / 1e6);
    }
  }

  /** Transforms every class; the number changed; the rewritten bytes go to {@code out} if given. */
  private static int run(ClassTransformer t, List<byte[]> classes, TypeHierarchy h, List<byte[]> out) {
    int changed = 0;
    for (byte[] c : classes) {
      TransformResult r = t.transform(c, h);
      if (r.changed()) {
        changed++;
        if (out != null) {
          out.add(r.bytes());
        }
      }
    }
    return changed;
  }

  private static int verifyAll(List<byte[]> rewritten, TypeHierarchy h) {
    int failures = 0;
    for (byte[] c : rewritten) {
      try {
        ClassVerifier.verify(c, h, m -> true);
      } catch (ClassVerifier.UnverifiableClassException e) {
        failures++;
      }
    }
    return failures;
  }

  private static List<byte[]> read(Path jar) throws IOException {
    List<byte[]> out = new ArrayList<>();
    try (JarFile file = new JarFile(jar.toFile())) {
      for (Enumeration<JarEntry> e = file.entries(); e.hasMoreElements(); ) {
        JarEntry entry = e.nextElement();
        if (entry.getName().endsWith(".class") && !entry.getName().endsWith("module-info.class")
            && !entry.getName().startsWith("META-INF/")) {
          out.add(file.getInputStream(entry).readAllBytes());
        }
      }
    }
    return out;
  }

  private static double median(long[] v) {
    long[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
  }

  private static long min(long[] v) {
    return Arrays.stream(v).min().orElse(0);
  }

  private static long max(long[] v) {
    return Arrays.stream(v).max().orElse(0);
  }
}
