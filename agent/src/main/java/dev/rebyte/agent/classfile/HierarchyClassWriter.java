package dev.rebyte.agent.classfile;

import java.util.HashSet;
import java.util.Set;
import org.objectweb.asm.ClassWriter;

/**
 * A {@link ClassWriter} that computes common super classes from a {@link TypeHierarchy} instead of
 * {@code Class.forName}: loading classes inside a transformer risks circularity errors and deadlocks
 * (NOTES, "Frames without class loading").
 *
 * <p>Interfaces merge to {@code java/lang/Object}, as in ASM and the verifier. A type whose class file
 * cannot be found is never guessed to be {@code Object} (a wrong guess makes the class fail
 * verification): {@link UnresolvedTypeException} is thrown and the transformer fails open.
 */
public final class HierarchyClassWriter extends ClassWriter {
  private static final String OBJECT = "java/lang/Object";

  private final TypeHierarchy hierarchy;

  public HierarchyClassWriter(int flags, TypeHierarchy hierarchy) {
    super(flags);
    this.hierarchy = hierarchy;
  }

  @Override
  protected String getCommonSuperClass(String type1, String type2) {
    if (type1.equals(type2)) {
      return type1;
    }
    if (OBJECT.equals(type1) || OBJECT.equals(type2)) {
      return OBJECT;
    }
    require(type1);
    require(type2);
    if (hierarchy.isInterface(type1) || hierarchy.isInterface(type2)) {
      return OBJECT;
    }
    Set<String> supers1 = new HashSet<>();
    for (String t = type1; t != null; t = superOf(t)) {
      supers1.add(t);
    }
    for (String t = type2; t != null; t = superOf(t)) {
      if (supers1.contains(t)) {
        return t;
      }
    }
    return OBJECT;
  }

  private String superOf(String type) {
    if (OBJECT.equals(type)) {
      return null;
    }
    require(type);
    return hierarchy.superName(type);
  }

  private void require(String type) {
    if (!hierarchy.isKnown(type)) {
      throw new UnresolvedTypeException(type);
    }
  }

  /** A type needed for a frame could not be found without loading classes. */
  public static final class UnresolvedTypeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnresolvedTypeException(String type) {
      super("cannot resolve " + type.replace('/', '.')
          + " without loading classes; frames cannot be computed, class left unchanged");
    }
  }
}
