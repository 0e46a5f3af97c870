package dev.rebyte.agent.classfile;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ConcurrentHashMap;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;

/**
 * {@link TypeHierarchy} over class files read as resources: nothing is loaded, so it is safe inside
 * {@code ClassFileTransformer.transform} (no circularity, no class-loading locks taken).
 */
final class ResourceTypeHierarchy implements TypeHierarchy {
  private static final Header UNKNOWN = new Header(null, false);
  private static final Header OBJECT = new Header(null, false);

  private final ClassLoader loader;
  private final ConcurrentHashMap<String, Header> cache = new ConcurrentHashMap<>();

  ResourceTypeHierarchy(ClassLoader loader) {
    this.loader = loader;
  }

  @Override
  public String superName(String internalName) {
    return header(internalName).superName;
  }

  @Override
  public boolean isInterface(String internalName) {
    return header(internalName).isInterface;
  }

  @Override
  public boolean isKnown(String internalName) {
    return header(internalName) != UNKNOWN;
  }

  /** Not cached: callee summaries parse each class once per transform and cache their results. */
  @Override
  public byte[] classFile(String internalName) {
    String resource = internalName + ".class";
    byte[] bytes = loader == null ? null : bytes(loader, resource);
    return bytes != null ? bytes : bytes(ClassLoader.getSystemClassLoader(), resource);
  }

  private static byte[] bytes(ClassLoader cl, String resource) {
    try (InputStream in = cl.getResourceAsStream(resource)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private Header header(String internalName) {
    if ("java/lang/Object".equals(internalName)) {
      return OBJECT;
    }
    return cache.computeIfAbsent(internalName, this::read);
  }

  private Header read(String internalName) {
    String resource = internalName + ".class";
    Header h = loader == null ? null : read(loader, resource);
    if (h == null) {
      h = read(ClassLoader.getSystemClassLoader(), resource);
    }
    return h == null ? UNKNOWN : h;
  }

  private static Header read(ClassLoader cl, String resource) {
    try (InputStream in = cl.getResourceAsStream(resource)) {
      if (in == null) {
        return null;
      }
      ClassReader reader = new ClassReader(in);
      boolean isInterface = (reader.getAccess() & Opcodes.ACC_INTERFACE) != 0;
      String superName = reader.getSuperName();
      return new Header(superName == null ? "java/lang/Object" : superName, isInterface);
    } catch (IOException | RuntimeException e) {
      return null; // unreadable or too new for ASM: unknown
    }
  }

  private static final class Header {
    final String superName;
    final boolean isInterface;

    Header(String superName, boolean isInterface) {
      this.superName = superName;
      this.isInterface = isInterface;
    }
  }
}
