package dev.rebyte.agent.classfile;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;

/**
 * The header of one class file: its access flags, its super class and its interfaces, parsed with
 * ASM and nothing else of the file. The one class-header reader: {@link ClassFiles#directSupertypes}
 * (the callee contract walk, the owner analysis' supertypes) and {@link TypeHierarchy#fromResources}
 * (the frame computation) both parse through {@link #parse}.
 */
final class ClassHeader {
  /*
   * A header whose interface table cannot be read (a truncated or corrupt file whose access flags
   * and super class still parse) keeps its super class and flags: the frame computation reads only
   * those. Its direct supertypes are unknown (null), as for a file that cannot be read at all: a walk
   * over supertypes must not miss an interface.
   * Anything that fails before (no constant pool, no flags or super class, a class file too new for
   * ASM) is no header (null).
   */

  private final int access;
  private final String superName;
  private final String[] interfaces; // null: the interface table cannot be read

  ClassHeader(int access, String superName, String[] interfaces) {
    this.access = access;
    this.superName = superName;
    this.interfaces = interfaces;
  }

  /**
   * The header of {@code bytes}; null when {@code bytes} is null, malformed or too new for ASM (as
   * good as missing).
   */
  static ClassHeader parse(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    ClassReader reader;
    int access;
    String superName;
    try {
      reader = new ClassReader(bytes);
      access = reader.getAccess();
      superName = reader.getSuperName();
    } catch (RuntimeException e) {
      return null;
    }
    String[] interfaces;
    try {
      interfaces = reader.getInterfaces();
    } catch (RuntimeException e) {
      interfaces = null;
    }
    return new ClassHeader(access, superName, interfaces);
  }

  /**
   * The header of {@code internalName}'s class file as {@code files} finds it; null when it cannot be
   * found or read (a {@code files} that throws finds nothing).
   */
  static ClassHeader read(ClassFiles files, String internalName) {
    try {
      return parse(files.classFile(internalName));
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The super class as the file names it: null for {@code java/lang/Object} (and module-info). */
  String superName() {
    return superName;
  }

  boolean isInterface() {
    return (access & Opcodes.ACC_INTERFACE) != 0;
  }

  /**
   * The super class first (when there is one), then the interfaces; a new array on each call. Null
   * when the interface table cannot be read.
   */
  String[] directSupertypes() {
    if (interfaces == null) {
      return null;
    }
    if (superName == null) {
      return interfaces.clone();
    }
    String[] out = new String[interfaces.length + 1];
    out[0] = superName;
    System.arraycopy(interfaces, 0, out, 1, interfaces.length);
    return out;
  }

  /** This header with another super class (the rest unchanged). */
  ClassHeader withSuperName(String superName) {
    return new ClassHeader(access, superName, interfaces);
  }
}
