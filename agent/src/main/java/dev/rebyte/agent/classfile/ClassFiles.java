package dev.rebyte.agent.classfile;

/**
 * Class files by internal name, read without loading anything (a resource, ByteBuddy's
 * {@code ClassFileLocator}). The callee summaries read their callees through this, the owner analysis
 * the supertypes of a class; every {@link TypeHierarchy} is one.
 */
@FunctionalInterface
public interface ClassFiles {
  /** Reads nothing and finds nothing: summaries are off. */
  ClassFiles NONE = name -> null;

  /** The bytes of {@code internalName}'s class file, or null when it cannot be found or read. */
  byte[] classFile(String internalName);

  /**
   * The direct supertypes of {@code internalName} (super class first, then interfaces), read from
   * its class header only; null when its class file cannot be found or read (malformed or too new for
   * ASM: as good as missing).
   */
  default String[] directSupertypes(String internalName) {
    ClassHeader header = ClassHeader.read(this, internalName);
    return header == null ? null : header.directSupertypes();
  }
}
