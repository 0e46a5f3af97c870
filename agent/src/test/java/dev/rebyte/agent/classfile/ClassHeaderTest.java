package dev.rebyte.agent.classfile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;

/**
 * The one class-header reader and the two ways it is read: {@link ClassFiles#directSupertypes} and
 * {@link TypeHierarchy#fromResources} (what is cached, what falls back, what is unknown).
 */
class ClassHeaderTest implements Opcodes {
  private static final String[] ARRAY_LIST_SUPERTYPES = {
    "java/util/AbstractList", "java/util/List", "java/util/RandomAccess", "java/lang/Cloneable",
    "java/io/Serializable"
  };

  @Test
  void parse_readsSuperInterfacesAndFlags() {
    ClassHeader list = ClassHeader.parse(jdk("java/util/ArrayList"));
    assertEquals("java/util/AbstractList", list.superName());
    assertFalse(list.isInterface());
    assertArrayEquals(ARRAY_LIST_SUPERTYPES, list.directSupertypes());

    ClassHeader iface = ClassHeader.parse(jdk("java/util/RandomAccess"));
    assertTrue(iface.isInterface());
    assertEquals("java/lang/Object", iface.superName());
    assertArrayEquals(new String[] {"java/lang/Object"}, iface.directSupertypes());
  }

  @Test
  void parse_object_hasNoSuperClass() {
    ClassHeader object = ClassHeader.parse(jdk("java/lang/Object"));
    assertNull(object.superName());
    assertArrayEquals(new String[0], object.directSupertypes());
  }

  @Test
  void parse_nothingGarbageOrTooNew_isNull() {
    assertNull(ClassHeader.parse(null));
    assertNull(ClassHeader.parse(new byte[] {1, 2, 3}));
    assertNull(ClassHeader.parse(new byte[0]));
    byte[] tooNew = type("t/A", "t/B", "t/I");
    tooNew[6] = 0x7f; // major version far beyond what ASM reads
    assertNull(ClassHeader.parse(tooNew));
  }

  @Test
  void parse_unreadableInterfaceTable_keepsSuperAndFlags_supertypesUnknown() {
    ClassHeader h = ClassHeader.parse(truncatedInterfaces());
    assertNotNull(h);
    assertEquals("t/B", h.superName());
    assertTrue(h.isInterface());
    assertNull(h.directSupertypes());
  }

  @Test
  void directSupertypes_isANewArrayEachCall() {
    ClassHeader h = ClassHeader.parse(type("t/A", "t/B", "t/I"));
    String[] first = h.directSupertypes();
    first[0] = "x/Y";
    assertNotSame(first, h.directSupertypes());
    assertArrayEquals(new String[] {"t/B", "t/I"}, h.directSupertypes());
    ClassHeader noSuper = ClassHeader.parse(moduleInfo());
    assertNotSame(noSuper.directSupertypes(), noSuper.directSupertypes());
  }

  @Test
  void classFilesDirectSupertypes_missingUnreadableOrThrowing_isNull() {
    Map<String, byte[]> files = new HashMap<>();
    files.put("t/A", type("t/A", "t/B", "t/I"));
    files.put("t/Junk", new byte[] {1, 2, 3});
    files.put("t/Truncated", truncatedInterfaces());
    ClassFiles classFiles = files::get;
    assertArrayEquals(new String[] {"t/B", "t/I"}, classFiles.directSupertypes("t/A"));
    assertNull(classFiles.directSupertypes("t/Missing"));
    assertNull(classFiles.directSupertypes("t/Junk"));
    assertNull(classFiles.directSupertypes("t/Truncated"));
    ClassFiles throwing = name -> {
      throw new UncheckedIOException(new IOException("disk gone"));
    };
    assertNull(throwing.directSupertypes("t/A"));
    assertNull(ClassFiles.NONE.directSupertypes("java/lang/String"));
  }

  @Test
  void hierarchy_headersAreCachedIncludingUnknown_classFilesAreNot() {
    CountingLoader loader = new CountingLoader(Map.of("t/A", type("t/A", "t/B")));
    TypeHierarchy h = TypeHierarchy.fromResources(loader);
    for (int i = 0; i < 3; i++) {
      assertEquals("t/B", h.superName("t/A"));
      assertFalse(h.isInterface("t/A"));
      assertTrue(h.isKnown("t/A"));
      assertNull(h.superName("t/Missing"));
      assertFalse(h.isKnown("t/Missing"));
    }
    assertEquals(1, loader.opened("t/A"));
    assertEquals(1, loader.opened("t/Missing"));
    h.classFile("t/A");
    h.classFile("t/A");
    assertEquals(3, loader.opened("t/A"));
    assertArrayEquals(new String[] {"t/B"}, h.directSupertypes("t/A"));
    assertEquals(4, loader.opened("t/A"), "directSupertypes reads the class file, not the header cache");
  }

  @Test
  void hierarchy_object_isKnownWithoutReading() {
    CountingLoader loader = new CountingLoader(Map.of());
    TypeHierarchy h = TypeHierarchy.fromResources(loader);
    assertNull(h.superName("java/lang/Object"));
    assertFalse(h.isInterface("java/lang/Object"));
    assertTrue(h.isKnown("java/lang/Object"));
    assertEquals(0, loader.opened("java/lang/Object"));
  }

  @Test
  void hierarchy_malformedInTheLoader_headerFallsBack_classFileDoesNot() {
    byte[] junk = {1, 2, 3};
    TypeHierarchy h = TypeHierarchy.fromResources(new CountingLoader(Map.of("java/util/ArrayList", junk)));
    assertEquals("java/util/AbstractList", h.superName("java/util/ArrayList"));
    assertTrue(h.isKnown("java/util/ArrayList"));
    assertArrayEquals(junk, h.classFile("java/util/ArrayList"));
    assertNull(h.directSupertypes("java/util/ArrayList"));
    assertArrayEquals(ARRAY_LIST_SUPERTYPES,
        TypeHierarchy.fromResources(null).directSupertypes("java/util/ArrayList"));
  }

  @Test
  void hierarchy_noSuperClassInTheFile_answersObject() {
    TypeHierarchy h = TypeHierarchy.fromResources(new CountingLoader(Map.of("module-info", moduleInfo())));
    assertEquals("java/lang/Object", h.superName("module-info"));
    assertTrue(h.isKnown("module-info"));
    assertArrayEquals(new String[0], h.directSupertypes("module-info"));
  }

  @Test
  void hierarchy_unreadableInterfaceTable_isKnownBySuperClass() {
    TypeHierarchy h = TypeHierarchy.fromResources(new CountingLoader(Map.of("t/T", truncatedInterfaces())));
    assertEquals("t/B", h.superName("t/T"));
    assertTrue(h.isInterface("t/T"));
    assertNull(h.directSupertypes("t/T"));
  }

  @Test
  void selfAware_answersTheTransformedClassFromItsNode_restFromTheDelegate() {
    ClassNode node = new ClassNode();
    new ClassReader(type("gen/Self", "java/util/AbstractList")).accept(node, 0);
    TypeHierarchy delegate = TypeHierarchy.fromResources(null);
    TypeHierarchy h = SelfAwareHierarchy.of(node, delegate);
    assertEquals("java/util/AbstractList", h.superName("gen/Self"));
    assertTrue(h.isKnown("gen/Self"));
    assertFalse(h.isInterface("gen/Self"));
    assertNull(h.classFile("gen/Self"), "its bytes are not findable as a resource");
    assertNull(delegate.superName("gen/Self"));
    assertEquals("java/util/AbstractCollection", h.superName("java/util/AbstractList"));
    assertSame(delegate, h.summaryScope());
  }

  private static byte[] jdk(String internalName) {
    try (InputStream in = ClassLoader.getSystemResourceAsStream(internalName + ".class")) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] type(String name, String superName, String... interfaces) {
    ClassWriter w = new ClassWriter(0);
    w.visit(V17, ACC_PUBLIC | ACC_SUPER, name, null, superName, interfaces);
    w.visitEnd();
    return w.toByteArray();
  }

  private static byte[] moduleInfo() {
    ClassWriter w = new ClassWriter(0);
    w.visit(V9, ACC_MODULE, "module-info", null, null, null);
    w.visitModule("t.m", 0, null).visitEnd();
    w.visitEnd();
    return w.toByteArray();
  }

  /** An interface whose interface table says one entry and ends before it. */
  private static byte[] truncatedInterfaces() {
    ClassWriter w = new ClassWriter(0);
    w.visit(V17, ACC_PUBLIC | ACC_INTERFACE | ACC_ABSTRACT, "t/T", null, "t/B", new String[] {"t/I"});
    w.visitEnd();
    byte[] whole = w.toByteArray();
    int header = new ClassReader(whole).header;
    return Arrays.copyOf(whole, header + 8); // access, this, super, count; no entry
  }

  /** Serves the given class files and counts how often each was opened; the rest it does not have. */
  private static final class CountingLoader extends ClassLoader {
    private final Map<String, byte[]> files;
    private final Map<String, Integer> opened = new HashMap<>();

    CountingLoader(Map<String, byte[]> files) {
      super(null);
      this.files = files;
    }

    @Override
    public synchronized InputStream getResourceAsStream(String name) {
      String internalName = name.substring(0, name.length() - ".class".length());
      opened.merge(internalName, 1, Integer::sum);
      byte[] bytes = files.get(internalName);
      return bytes == null ? null : new ByteArrayInputStream(bytes);
    }

    synchronized int opened(String internalName) {
      return opened.getOrDefault(internalName, 0);
    }
  }
}
