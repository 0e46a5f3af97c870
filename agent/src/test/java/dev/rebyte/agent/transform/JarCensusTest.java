package dev.rebyte.agent.transform;

import dev.rebyte.agent.classfile.TypeHierarchy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rebyte.agent.decision.Decision;
import dev.rebyte.agent.decision.Reason;
import dev.rebyte.agent.decision.SiteDecision;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Census of a real jar (commons-compress 1.28.0 from the local Maven repository, or
 * {@code -Drebyte.census.jar=PATH}): every class through the transformer with default options,
 * timing analysis + rewrite, counting sites by decision and reason; prints a table
 * ({@code -Drebyte.census.callee-depth=N}, {@code -Drebyte.census.owners=true}). Skipped when
 * the jar is absent. Also asserts that nothing failed open and every changed class still parses.
 */
class JarCensusTest {
  @Test
  void commonsCompress() throws IOException {
    Path jar = Paths.get(System.getProperty("rebyte.census.jar", System.getProperty("user.home")
        + "/.m2/repository/org/apache/commons/commons-compress/1.28.0/commons-compress-1.28.0.jar"));
    assumeTrue(Files.isRegularFile(jar), "no jar at " + jar);
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
    // commons-compress 1.28.0 extends commons-io types: without it, frames cannot be computed
    Path io = Paths.get(System.getProperty("user.home")
        + "/.m2/repository/commons-io/commons-io/2.20.0/commons-io-2.20.0.jar");
    URL[] path = Files.isRegularFile(io) ? new URL[] {jar.toUri().toURL(), io.toUri().toURL()}
        : new URL[] {jar.toUri().toURL()};
    try (URLClassLoader loader = new URLClassLoader(path, null)) {
      int depth = Integer.getInteger("rebyte.census.callee-depth", 4);
      TypeHierarchy hierarchy = TypeHierarchy.fromResources(loader);
      boolean owners = Boolean.getBoolean("rebyte.census.owners");
      ClassTransformer transformer = new ClassTransformer(
          TransformSettings.builder().calleeDepth(depth).owners(c -> owners).build(), (s, m) -> 0);
      for (byte[] c : classes) { // warm-up: JIT and hierarchy cache
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
      int changed = 0;
      int failed = 0;
      long slowest = 0;
      long start = System.nanoTime();
      for (byte[] c : classes) {
        long t0 = System.nanoTime();
        TransformResult r = transformer.transform(c, hierarchy);
        slowest = Math.max(slowest, System.nanoTime() - t0);
        changed += r.changed() ? 1 : 0;
        failed += r.failure() != null ? 1 : 0;
        if (r.failure() != null) {
          System.out.println("failed open: " + r.className() + " " + r.classReason() + " " + r.failure());
        }
        if (r.changed()) {
          new ClassReader(r.bytes()).accept(new ClassNode(), 0);
        }
        sites.addAll(r.sites());
        for (SiteDecision s : r.sites()) {
          reasons.merge(s.reason(), 1, Integer::sum);
        }
      }
      long total = System.nanoTime() - start;
      Map<Decision, Integer> decisions = new EnumMap<>(Decision.class);
      sites.forEach(s -> decisions.merge(s.decision(), 1, Integer::sum));
      StringBuilder out = new StringBuilder();
      out.append(String.format("%n%s (callee depth %d, owners %s)%n", jar.getFileName(), depth, owners));
      out.append(String.format("classes %d, methods with code %d, changed %d, failed open %d%n",
          classes.size(), methods, changed, failed));
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
      sites.stream().filter(s -> s.decision() == Decision.POOLED).forEach(s -> out.append("  ").append(s).append('\n'));
      out.append("top rejected callees:\n");
      Map<String, Integer> callees = new java.util.HashMap<>();
      sites.stream().filter(s -> s.reason() == Reason.PASSED_TO_UNKNOWN_METHOD)
          .forEach(s -> callees.merge(s.detail(), 1, Integer::sum));
      callees.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
          .limit(8).forEach(e -> out.append(String.format("  %4d %s%n", e.getValue(), e.getKey())));
      System.out.println(out);
      assertEquals(0, failed);
      assertTrue(total < 10_000_000_000L, "census too slow for the default suite: make it opt-in");
    }
  }
}
