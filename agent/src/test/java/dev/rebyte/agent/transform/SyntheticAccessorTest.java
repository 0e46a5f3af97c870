package dev.rebyte.agent.transform;

import dev.rebyte.agent.classfile.TypeHierarchy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebyte.agent.decision.Reason;
import dev.rebyte.agent.decision.SiteDecision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;

/**
 * Inner classes of class files older than Java 11 reach a private field through synthetic
 * accessors ({@code access$000}) that javac adds to the outer class; Java 11+ uses nestmates
 * instead (OwnerCatalogueTest's OuterOwner). The fixture is compiled here with {@code --release 8}
 * so the accessors are real javac output: a read accessor returns the field (FIELD_ESCAPES), a
 * write accessor stores a parameter (FIELD_NOT_FRESH).
 */
class SyntheticAccessorTest {
  private static final String READER = String.join("\n",
      "package acme;",
      "public class Reader implements java.io.Closeable {",
      "  private final byte[] window = new byte[8192];",
      "  public int peek() { return new Cursor().first(); }",
      "  public void close() {}",
      "  class Cursor { int first() { return window[0]; } }",
      "}");
  private static final String WRITER = String.join("\n",
      "package acme;",
      "public class Writer implements java.io.Closeable {",
      "  private byte[] frame = new byte[8192];",
      "  public void reset() { new Resetter().run(); }",
      "  public void close() {}",
      "  class Resetter { void run() { frame = new byte[4096]; } }",
      "}");

  @TempDir Path dir;

  @Test
  void readAccessor_isAnEscape_writeAccessor_isNotFresh() throws IOException {
    Map<String, byte[]> classes = compile8(Map.of("acme/Reader.java", READER, "acme/Writer.java", WRITER));
    assertTrue(hasAccessor(classes.get("acme/Reader")),
        "javac --release 8 generates access$000 (else this test proves nothing)");

    TypeHierarchy hierarchy = new TypeHierarchy() {
      private final TypeHierarchy jdk = TypeHierarchy.fromResources(null);

      @Override
      public String superName(String name) {
        return classes.containsKey(name) ? new ClassReader(classes.get(name)).getSuperName() : jdk.superName(name);
      }

      @Override
      public boolean isInterface(String name) {
        return !classes.containsKey(name) && jdk.isInterface(name);
      }

      @Override
      public byte[] classFile(String name) {
        return classes.containsKey(name) ? classes.get(name) : jdk.classFile(name);
      }
    };
    ClassTransformer transformer = new ClassTransformer(
        TransformSettings.builder().owners(c -> true).build(), (s, m) -> 0);

    SiteDecision reader = only(transformer.transform(classes.get("acme/Reader"), hierarchy).sites());
    assertEquals(Reason.FIELD_ESCAPES, reader.reason(), reader::toString);
    assertTrue(reader.detail().contains("RETURNED") && reader.detail().contains("access$"), reader::toString);

    TransformResult writerResult = transformer.transform(classes.get("acme/Writer"), hierarchy);
    SiteDecision writer = only(writerResult.sites().stream()
        .filter(s -> s.className().equals("acme.Writer")).collect(Collectors.toList()));
    assertEquals(Reason.FIELD_NOT_FRESH, writer.reason(), writer::toString);
    assertFalse(writerResult.changed());
  }

  private static SiteDecision only(List<SiteDecision> sites) {
    assertEquals(1, sites.size(), sites::toString);
    return sites.get(0);
  }

  private static boolean hasAccessor(byte[] classFile) {
    ClassNode node = new ClassNode();
    new ClassReader(classFile).accept(node, ClassReader.SKIP_CODE);
    return node.methods.stream().anyMatch(m -> m.name.startsWith("access$"));
  }

  /** Compiles with {@code --release 8}; returns class files by internal name. */
  private Map<String, byte[]> compile8(Map<String, String> sources) throws IOException {
    Path src = dir.resolve("src");
    Path out = dir.resolve("classes");
    Files.createDirectories(out);
    List<String> args = new java.util.ArrayList<>(List.of("--release", "8", "-nowarn", "-d", out.toString()));
    for (Map.Entry<String, String> e : sources.entrySet()) {
      Path file = src.resolve(e.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, e.getValue());
      args.add(file.toString());
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertEquals(0, javac.run(null, null, null, args.toArray(new String[0])), "javac --release 8");
    try (var files = Files.walk(out)) {
      return files.filter(p -> p.toString().endsWith(".class")).collect(Collectors.toMap(
          p -> out.relativize(p).toString().replace('\\', '/').replace(".class", ""),
          p -> {
            try {
              return Files.readAllBytes(p);
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }));
    }
  }
}
