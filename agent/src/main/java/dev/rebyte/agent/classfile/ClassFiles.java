package dev.rebyte.agent.classfile;

import org.objectweb.asm.ClassReader;

/**
 * Class files by internal name, read without loading anything (a resource, ByteBuddy's
 * {@code ClassFileLocator}). The callee summaries read their callees through this.
 */
@FunctionalInterface
public interface ClassFiles {
  /** Reads nothing and finds nothing: summaries are off. */
  ClassFiles NONE = name -> null;

  /** The bytes of {@code internalName}'s class file, or null when it cannot be found or read. */
  byte[] classFile(String internalName);

  /**
   * The direct supertypes of {@code internalName} (super class first, then interfaces), read from
   * its class header only; null when its class file cannot be found or read.
   */
  default String[] directSupertypes(String internalName) {
    try {
      byte[] bytes = classFile(internalName);
      if (bytes == null) {
        return null;
      }
      ClassReader r = new ClassReader(bytes);
      String[] interfaces = r.getInterfaces();
      if (r.getSuperName() == null) {
        return interfaces;
      }
      String[] out = new String[interfaces.length + 1];
      out[0] = r.getSuperName();
      System.arraycopy(interfaces, 0, out, 1, interfaces.length);
      return out;
    } catch (RuntimeException e) {
      return null; // malformed or too new for ASM: as good as missing
    }
  }
}
