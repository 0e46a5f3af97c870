package dev.rebyte.agent.classfile;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Class files as ASM trees, for the analyses that read other classes' code (callee summaries, the
 * owner analysis' call reachability). Reads nothing but through a {@link ClassFiles}: no class is
 * loaded. Callers cache the trees they keep.
 */
public final class ClassNodes {
  private ClassNodes() {}

  /**
   * The class's tree, or null when its class file is missing, malformed or too new for ASM (as good
   * as missing for an analysis that must then assume the worst).
   *
   * @param parsingOptions {@link ClassReader} flags, e.g. {@code SKIP_FRAMES}
   */
  public static ClassNode read(ClassFiles files, String internalName, int parsingOptions) {
    try {
      byte[] bytes = files.classFile(internalName);
      if (bytes == null) {
        return null;
      }
      ClassNode c = new ClassNode();
      new ClassReader(bytes).accept(c, parsingOptions);
      return c;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The method {@code c} declares with this name and descriptor, or null. */
  public static MethodNode declared(ClassNode c, String name, String desc) {
    for (MethodNode m : c.methods) {
      if (m.name.equals(name) && m.desc.equals(desc)) {
        return m;
      }
    }
    return null;
  }
}
