package dev.rebyte.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Opens the built agent jar (allocation-instrumenter's AgentIntegrity, OTel's ShadingTest): only
 * our packages, relocated libraries, META-INF and the nested runtime jar; nothing unrelocated, no
 * class that still names an unrelocated ASM or ByteBuddy type; the manifest of an agent.
 */
class AgentJarIntegrityIT {
  private static final String RUNTIME_JAR = "dev/rebyte/agent/boot/rebyte-runtime.jar";
  /** A Micrometer or Prometheus type name, but not a documentation URL ("docs.micrometer.io/micrometer/..."). */
  private static final Pattern UNRELOCATED_METRICS = Pattern.compile("(?<![.\\w])io/(micrometer|prometheus)/");

  @Test
  void entries_areOursRelocatedOrMetadata() throws IOException {
    List<String> unexpected = new ArrayList<>();
    List<String> unrelocatedReferences = new ArrayList<>();
    try (JarFile jar = new JarFile(ForkedJvm.AGENT_JAR.toFile())) {
      for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
        JarEntry entry = e.nextElement();
        String name = entry.getName();
        boolean allowed = name.startsWith("dev/rebyte/agent/") || name.startsWith("dev/rebyte/shaded/")
            || name.equals("dev/") || name.equals("dev/rebyte/")
            || (name.startsWith("META-INF/") && !name.endsWith(".class"));
        if (!allowed) {
          unexpected.add(name);
        }
        if (name.endsWith(".class")) {
          String text = new String(jar.getInputStream(entry).readAllBytes(), StandardCharsets.ISO_8859_1);
          if (text.contains("org/objectweb/asm/") || text.contains("net/bytebuddy/")
              || UNRELOCATED_METRICS.matcher(text).find() || text.contains("org/HdrHistogram/")
              || text.contains("dev/rebyte/runtime/micrometer/")) {
            unrelocatedReferences.add(name);
          }
        }
      }
      assertEquals(List.of(), unexpected, "unexpected entries in the agent jar");
      assertEquals(List.of(), unrelocatedReferences,
          "classes naming unrelocated ASM, ByteBuddy, Micrometer, Prometheus or HdrHistogram types, or the unrelocated binder");
      assertNotNull(jar.getEntry("dev/rebyte/shaded/micrometer/prometheusmetrics/PrometheusMeterRegistry.class"));
      assertNotNull(jar.getEntry("dev/rebyte/shaded/prometheus/metrics/model/registry/PrometheusRegistry.class"));
      assertNotNull(jar.getEntry("dev/rebyte/shaded/binder/RebyteMetrics.class"), "the agent's own, relocated binder");
      assertNotNull(jar.getEntry("dev/rebyte/agent/http/dashboard.html"));
      assertNotNull(jar.getEntry("dev/rebyte/shaded/bytebuddy/agent/builder/AgentBuilder.class"));
      assertNotNull(jar.getEntry("dev/rebyte/shaded/asm/ClassReader.class"));
      assertNotNull(jar.getEntry("dev/rebyte/agent/RebyteAgent.class"));
    }
  }

  @Test
  void runtime_isNestedOnly_asAJarOfRuntimeClasses() throws IOException {
    try (JarFile jar = new JarFile(ForkedJvm.AGENT_JAR.toFile())) {
      JarEntry nested = jar.getJarEntry(RUNTIME_JAR);
      assertNotNull(nested, "nested runtime jar");
      List<String> classes = new ArrayList<>();
      try (InputStream in = jar.getInputStream(nested); JarInputStream runtime = new JarInputStream(in)) {
        for (JarEntry e; (e = runtime.getNextJarEntry()) != null; ) {
          if (e.getName().endsWith(".class")) {
            classes.add(e.getName());
            assertTrue(e.getName().startsWith("dev/rebyte/runtime/"), e.getName());
            assertTrue(!e.getName().startsWith("dev/rebyte/runtime/micrometer/"),
                "the Micrometer binder never goes on the boot path: " + e.getName());
          }
        }
      }
      assertTrue(classes.contains("dev/rebyte/runtime/Rebyte.class"), classes.toString());
    }
  }

  /** The binder the agent injects into applications' class loaders: unrelocated, binder classes only. */
  @Test
  void micrometerBinder_isNestedUnrelocated_forInjection() throws IOException {
    try (JarFile jar = new JarFile(ForkedJvm.AGENT_JAR.toFile())) {
      JarEntry nested = jar.getJarEntry("dev/rebyte/agent/micrometer/rebyte-micrometer.jar");
      assertNotNull(nested, "nested binder jar");
      List<String> classes = new ArrayList<>();
      try (InputStream in = jar.getInputStream(nested); JarInputStream binder = new JarInputStream(in)) {
        for (JarEntry e; (e = binder.getNextJarEntry()) != null; ) {
          if (e.getName().endsWith(".class")) {
            classes.add(e.getName());
            assertTrue(e.getName().startsWith("dev/rebyte/runtime/micrometer/"), e.getName());
            String text = new String(binder.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(!text.contains("dev/rebyte/shaded/"), "not relocated: " + e.getName());
          }
        }
      }
      assertTrue(classes.contains("dev/rebyte/runtime/micrometer/RebyteMetrics.class"), classes.toString());
    }
  }

  @Test
  void manifest_declaresTheAgent() throws IOException {
    try (JarFile jar = new JarFile(ForkedJvm.AGENT_JAR.toFile())) {
      Attributes main = jar.getManifest().getMainAttributes();
      assertEquals("dev.rebyte.agent.RebyteAgent", main.getValue("Premain-Class"));
      assertEquals("dev.rebyte.agent.RebyteAgent", main.getValue("Agent-Class"));
      assertEquals("true", main.getValue("Can-Redefine-Classes"));
      assertEquals("true", main.getValue("Can-Retransform-Classes"));
      assertEquals("dev.rebyte.agent", main.getValue("Automatic-Module-Name"));
      assertEquals(null, main.getValue("Boot-Class-Path"), "the runtime is appended at premain, not by name");
    }
  }
}
