package dev.rebyte.agent.install;

import dev.rebyte.agent.classfile.TypeHierarchy;
import java.io.IOException;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

/**
 * {@link TypeHierarchy} over ByteBuddy's {@link TypePool}: super types are read from class files
 * through the transformed class's own loader (and the pool's cache), never loaded. An unresolvable
 * type answers "unknown" ({@code null}); the rewrite then leaves the class as it was.
 */
final class TypePoolHierarchy implements TypeHierarchy {
  private final TypePool pool;
  private final ClassLoader loader;
  private final ClassFileLocator locator;

  /** @param loader the defining loader of the transformed class (null: bootstrap) */
  TypePoolHierarchy(TypePool pool, ClassLoader loader) {
    this.pool = pool;
    this.loader = loader;
    this.locator = ClassFileLocator.ForClassLoader.of(loader);
  }

  /** Read through the defining loader's resources, never loaded (callee summaries). */
  @Override
  public byte[] classFile(String internalName) {
    try {
      ClassFileLocator.Resolution r = locator.locate(internalName.replace('/', '.'));
      return r.isResolved() ? r.resolve() : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Summaries are valid per defining loader; null (bootstrap) is one shared scope. */
  @Override
  public Object summaryScope() {
    return loader;
  }

  @Override
  public String superName(String internalName) {
    TypeDescription type = describe(internalName);
    if (type == null) {
      return null;
    }
    if (type.isInterface()) {
      return "java/lang/Object"; // as the class file says; TypeDescription has no super class here
    }
    TypeDescription.Generic superClass = type.getSuperClass();
    return superClass == null ? null : superClass.asErasure().getInternalName();
  }

  @Override
  public boolean isInterface(String internalName) {
    TypeDescription type = describe(internalName);
    return type != null && type.isInterface();
  }

  private TypeDescription describe(String internalName) {
    try {
      TypePool.Resolution resolution = pool.describe(internalName.replace('/', '.'));
      return resolution.isResolved() ? resolution.resolve() : null;
    } catch (RuntimeException e) {
      return null; // a malformed super class file is as good as a missing one here
    }
  }
}
