package dev.rebyte.agent.classfile;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;

/**
 * The hierarchy as seen while transforming one class: the class itself is answered from its own
 * bytes (it may not be findable as a resource yet, e.g. a generated class), the rest is delegated.
 */
public final class SelfAwareHierarchy implements TypeHierarchy {
  private final String name;
  private final String superName;
  private final boolean isInterface;
  private final TypeHierarchy delegate;

  private SelfAwareHierarchy(ClassNode node, TypeHierarchy delegate) {
    this.name = node.name;
    this.superName = node.superName;
    this.isInterface = (node.access & Opcodes.ACC_INTERFACE) != 0;
    this.delegate = delegate;
  }

  public static TypeHierarchy of(ClassNode node, TypeHierarchy delegate) {
    return new SelfAwareHierarchy(node, delegate == null ? TypeHierarchy.fromResources(null) : delegate);
  }

  @Override
  public String superName(String internalName) {
    return name.equals(internalName) ? superName : delegate.superName(internalName);
  }

  @Override
  public boolean isInterface(String internalName) {
    return name.equals(internalName) ? isInterface : delegate.isInterface(internalName);
  }

  @Override
  public byte[] classFile(String internalName) {
    return delegate.classFile(internalName);
  }

  @Override
  public Object summaryScope() {
    return delegate.summaryScope();
  }

  @Override
  public boolean isKnown(String internalName) {
    return name.equals(internalName) || delegate.isKnown(internalName);
  }
}
