package dev.rebyte.agent.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebyte.agent.classfile.TypeHierarchy;
import dev.rebyte.agent.decision.Decision;
import dev.rebyte.agent.decision.Reason;
import dev.rebyte.agent.decision.SiteDecision;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.util.CheckClassAdapter;

/**
 * Census of a real jar: every class of commons-compress (a test dependency of this module, found on
 * the test class path; {@code -Drebyte.census.jar=PATH} for another jar) through the transformer
 * with default options ({@code -Drebyte.census.callee-depth=N}, {@code -Drebyte.census.owners=true}).
 * Prints a table of sites by decision and reason, the pooled sites, the most frequent rejected
 * callees and the time analysis and rewrite took (printed only: a unit test asserts no timing).
 *
 * <p>Asserts the transformer's contract on every class of the jar: no class fails open, a class is
 * changed exactly when one of its sites is pooled, and every changed class verifies (ASM's
 * {@code CheckClassAdapter} with data flow, types resolved through the jar and commons-io). And that
 * the census saw something: sites, and pooled ones among them.
 */
class JarCensusTest {
  @Test
  void commonsCompress() throws IOException {
    String override = System.getProperty("rebyte.census.jar");
    Path jar = override != null ? Paths.get(override)
        : jarOf(org.apache.commons.compress.archivers.ArchiveEntry.class);
    assertTrue(Files.isRegularFile(jar), "no jar at " + jar);
    List<byte[]> classes = new ArrayList<>();
    try (JarFile file = new JarFile(jar.toFile())) {
      for (Enumeration<JarEntry> e = file.entries(); e.hasMoreElements(); ) {
        JarEntry entry = e.nextElement();
        if (entry.getName().endsWith(".class") && !entry.getName().startsWith("META-INF/")) {
          try (InputStream in = file.getInputStream(entry)) {
            classes.add(in.readAllBytes());
          }
        }
      }
    }
    assertFalse(classes.isEmpty(), "no classes in " + jar);
    // commons-compress 1.28.0 extends commons-io types: without it, frames cannot be computed
    Path io = jarOf(org.apache.commons.io.IOUtils.class);
    URL[] path = {jar.toUri().toURL(), io.toUri().toURL()};
    try (URLClassLoader loader = new URLClassLoader(path, null)) {
      int depth = Integer.getInteger("rebyte.census.callee-depth", 4);
      TypeHierarchy hierarchy = TypeHierarchy.fromResources(loader);
      boolean owners = Boolean.getBoolean("rebyte.census.owners");
      ClassTransformer transformer = new ClassTransformer(
          TransformSettings.builder().calleeDepth(depth).owners(c -> owners).build(), (s, m) -> 0);
      for (byte[] c : classes) { // warm-up: JIT and hierarchy cache, so that the printed time means something
        transformer.transform(c, hierarchy);
      }
      int methods = 0;
      for (byte[] c : classes) {
        ClassNode node = new ClassNode();
        new ClassReader(c).accept(node, ClassReader.SKIP_DEBUG);
        for (MethodNode m : node.methods) {
          methods += m.instructions.size() > 0 ? 1 : 0;
        }
      }
      List<SiteDecision> sites = new ArrayList<>();
      Map<Reason, Integer> reasons = new EnumMap<>(Reason.class);
      List<TransformResult> results = new ArrayList<>();
      List<String> failures = new ArrayList<>();
      long slowest = 0;
      long start = System.nanoTime();
      for (byte[] c : classes) {
        long t0 = System.nanoTime();
        TransformResult r = transformer.transform(c, hierarchy);
        slowest = Math.max(slowest, System.nanoTime() - t0);
        results.add(r);
        if (r.failure() != null) {
          failures.add(r.className() + " " + r.classReason() + " " + r.failure());
        }
        sites.addAll(r.sites());
        for (SiteDecision s : r.sites()) {
          reasons.merge(s.reason(), 1, Integer::sum);
        }
      }
      long total = System.nanoTime() - start;
      long changed = results.stream().filter(TransformResult::changed).count();
      Map<Decision, Integer> decisions = new EnumMap<>(Decision.class);
      sites.forEach(s -> decisions.merge(s.decision(), 1, Integer::sum));
      StringBuilder out = new StringBuilder();
      out.append(String.format("%n%s (callee depth %d, owners %s)%n", jar.getFileName(), depth, owners));
      out.append(String.format("classes %d, methods with code %d, changed %d, failed open %d%n",
          classes.size(), methods, changed, failures.size()));
      out.append(String.format("time: total %.1f ms, %.1f us/class, %.2f us/method, slowest class %.2f ms%n",
          total / 1e6, total / 1e3 / classes.size(), total / 1e3 / methods, slowest / 1e6));
      out.append(String.format("new byte[] sites %d: %s%n", sites.size(), decisions));
      reasons.entrySet().stream().sorted(Map.Entry.<Reason, Integer>comparingByValue(Comparator.reverseOrder()))
          .forEach(e -> out.append(String.format("  %-28s %5d%n", e.getKey(), e.getValue())));
      long newarrays = sites.stream().filter(s -> s.reason() != Reason.ALLOCATOR_RESULT).count();
      long aboveMin = sites.stream().filter(s -> s.reason() != Reason.ALLOCATOR_RESULT
          && s.reason() != Reason.BELOW_MIN_SIZE).count();
      long local = sites.stream().filter(s -> s.reason() == Reason.NON_ESCAPING
          || s.reason() == Reason.NON_ESCAPING_VIA_CALLEES).count();
      long allocator = sites.stream().filter(s -> s.reason() == Reason.ALLOCATOR).count();
      out.append(String.format("new byte[] sites %d, above min-size %d: released where they are dead %d,"
          + " acquired by allocators %d, allocator calls released %d%n", newarrays, aboveMin, local,
          allocator, sites.size() - newarrays));
      out.append("pooled:\n");
      sites.stream().filter(s -> s.decision() == Decision.POOLED)
          .forEach(s -> out.append("  ").append(s).append('\n'));
      out.append("top rejected callees:\n");
      Map<String, Integer> callees = new HashMap<>();
      sites.stream().filter(s -> s.reason() == Reason.PASSED_TO_UNKNOWN_METHOD)
          .forEach(s -> callees.merge(s.detail(), 1, Integer::sum));
      callees.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
          .limit(8).forEach(e -> out.append(String.format("  %4d %s%n", e.getValue(), e.getKey())));
      System.out.println(out);

      assertEquals(List.of(), failures, "classes failed open");
      assertFalse(sites.isEmpty(), "no new byte[] site reported in " + jar);
      assertTrue(decisions.getOrDefault(Decision.POOLED, 0) > 0, "no site pooled in " + jar);
      for (TransformResult r : results) {
        boolean pooled = r.sites().stream().anyMatch(s -> s.decision() == Decision.POOLED);
        assertEquals(pooled, r.changed(), () -> "changed exactly when a site is pooled: " + r + " "
            + r.sites());
        if (r.changed()) {
          StringWriter problems = new StringWriter();
          CheckClassAdapter.verify(new ClassReader(r.bytes()), loader, false, new PrintWriter(problems));
          assertEquals("", problems.toString(), () -> "rewritten " + r.className() + " does not verify");
        }
      }
    }
  }

  /** The jar or directory {@code type} was loaded from: the test class path, never a guessed path. */
  private static Path jarOf(Class<?> type) {
    try {
      return Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
