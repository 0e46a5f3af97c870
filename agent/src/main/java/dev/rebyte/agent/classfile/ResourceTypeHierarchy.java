package dev.rebyte.agent.classfile;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * {@link TypeHierarchy} over class files read as resources: nothing is loaded, so it is safe inside
 * {@code ClassFileTransformer.transform} (no circularity, no class-loading locks taken).
 */
final class ResourceTypeHierarchy implements TypeHierarchy {
  /*
   * Both lookups try the loader first, then the system class loader; they differ in what sends them
   * to the fallback. classFile falls back only when the loader has no such resource (its bytes are
   * returned as they are, even if they do not parse); a header also falls back when the loader's file
   * does not parse. Two sentinels, compared by identity: UNKNOWN, cached for a type found nowhere, and
   * OBJECT_HEADER for java/lang/Object, which is never read nor cached.
   */

  private static final String OBJECT = "java/lang/Object";
  private static final ClassHeader UNKNOWN = new ClassHeader(0, null, null);
  private static final ClassHeader OBJECT_HEADER = new ClassHeader(0, null, new String[0]);

  private final ClassLoader loader;
  private final ConcurrentHashMap<String, ClassHeader> cache = new ConcurrentHashMap<>();

  ResourceTypeHierarchy(ClassLoader loader) {
    this.loader = loader;
  }

  @Override
  public String superName(String internalName) {
    return header(internalName).superName();
  }

  @Override
  public boolean isInterface(String internalName) {
    return header(internalName).isInterface();
  }

  @Override
  public boolean isKnown(String internalName) {
    return header(internalName) != UNKNOWN;
  }

  /** Not cached: callee summaries parse each class once per transform and cache their results. */
  @Override
  public byte[] classFile(String internalName) {
    return find(internalName, bytes -> bytes);
  }

  private ClassHeader header(String internalName) {
    if (OBJECT.equals(internalName)) {
      return OBJECT_HEADER;
    }
    return cache.computeIfAbsent(internalName, this::read);
  }

  private ClassHeader read(String internalName) {
    ClassHeader h = find(internalName, ClassHeader::parse);
    if (h == null) {
      return UNKNOWN; // missing, unreadable or too new for ASM everywhere
    }
    return h.superName() == null ? h.withSuperName(OBJECT) : h; // no super class in the file: Object
  }

  /** The first non-null {@code use} of the resource's bytes: the loader's, then the system loader's. */
  private <T> T find(String internalName, Function<byte[], T> use) {
    String resource = internalName + ".class";
    T found = loader == null ? null : use.apply(bytes(loader, resource));
    return found != null ? found : use.apply(bytes(ClassLoader.getSystemClassLoader(), resource));
  }

  private static byte[] bytes(ClassLoader cl, String resource) {
    try (InputStream in = cl.getResourceAsStream(resource)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
