package dev.rebyte.agent.classfile;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.SimpleVerifier;

/**
 * Verifies a written class file the way the JVM's verifier types its code, without loading any
 * class: every type question is answered by a {@link TypeHierarchy}, as for the frames
 * ({@link HierarchyClassWriter}).
 *
 * <p>Contract: {@link #verify} returns normally when every method {@code which} selects type-checks;
 * otherwise it throws {@link UnverifiableClassException}, whose message names the method and the
 * instruction index and says what is wrong. It never calls {@code Class.forName} nor loads a class.
 */
public final class ClassVerifier {
  /*
   * What is checked: ASM's Analyzer over each method with a SimpleVerifier whose type questions
   * (isInterface, getSuperClass, isAssignableFrom, and isSubTypeOf, which in ASM asks
   * getClass(..).isInterface() directly) are answered from the hierarchy; getClass itself throws, so
   * a question we forgot to answer fails the verification instead of loading a class. The Analyzer
   * infers the types (it does not read the StackMapTable); it also checks max stack and max locals.
   * It fails when the written code is ill-typed under the hierarchy's answers: a bug of the rewrite,
   * or frames computed from a hierarchy that contradicts the class's own code (a wrong
   * getCommonSuperClass at a merge makes the code after it ill-typed).
   *
   * Unknown types are never guessed assignable: a check that needs the supertypes of a type whose
   * class file cannot be found fails the verification (the class is left as it was). Assignability
   * to an interface is accepted for any reference, as the JVM's verifier does (interfaces are
   * treated as Object there).
   */
  private static final String OBJECT = "java/lang/Object";

  private ClassVerifier() {}

  /**
   * Verifies the methods of {@code classFile} that {@code which} selects (methods without code are
   * skipped).
   *
   * @param hierarchy the class's loader's view; the class itself is answered from its own bytes
   * @throws UnverifiableClassException naming the first method that fails and why
   */
  public static void verify(byte[] classFile, TypeHierarchy hierarchy, Predicate<MethodNode> which) {
    ClassNode node = new ClassNode();
    new ClassReader(classFile).accept(node, ClassReader.SKIP_FRAMES | ClassReader.SKIP_DEBUG);
    Analyzer<BasicValue> analyzer = new Analyzer<>(new HierarchyVerifier(node, hierarchy));
    for (MethodNode method : node.methods) {
      if (method.instructions.size() == 0 || !which.test(method)) {
        continue;
      }
      try {
        analyzer.analyze(node.name, method);
      } catch (AnalyzerException e) {
        throw new UnverifiableClassException(node.name.replace('/', '.') + "." + method.name
            + method.desc + ": " + e.getMessage(), e);
      }
    }
  }

  /** The verifier's types, answered by the hierarchy; the verified class by its own header. */
  private static final class HierarchyVerifier extends SimpleVerifier {
    private final String self;
    private final String selfSuper;
    private final List<String> selfInterfaces;
    private final boolean selfIsInterface;
    private final TypeHierarchy hierarchy;

    HierarchyVerifier(ClassNode node, TypeHierarchy hierarchy) {
      super(Opcodes.ASM9, null, null, null, false);
      this.self = node.name;
      this.selfSuper = node.superName;
      this.selfInterfaces = node.interfaces == null ? List.of() : new ArrayList<>(node.interfaces);
      this.selfIsInterface = (node.access & Opcodes.ACC_INTERFACE) != 0;
      this.hierarchy = hierarchy;
    }

    @Override
    protected boolean isSubTypeOf(BasicValue value, BasicValue expected) {
      Type expectedType = expected.getType();
      Type type = value.getType();
      switch (expectedType.getSort()) {
        case Type.INT: case Type.FLOAT: case Type.LONG: case Type.DOUBLE:
          return type.equals(expectedType);
        case Type.ARRAY: case Type.OBJECT:
          if (type.equals(NULL_TYPE)) {
            return true;
          }
          if (type.getSort() != Type.OBJECT && type.getSort() != Type.ARRAY) {
            return false;
          }
          // as ASM and the JVM: any reference may stand where an interface is expected, because
          // merges only ever yield classes
          return isAssignableFrom(expectedType, type) || isInterface(expectedType);
        default:
          throw new AssertionError(expectedType);
      }
    }

    @Override
    protected boolean isInterface(Type type) {
      if (type.getSort() != Type.OBJECT) {
        return false;
      }
      String name = type.getInternalName();
      if (name.equals(self)) {
        return selfIsInterface;
      }
      require(name);
      return hierarchy.isInterface(name);
    }

    @Override
    protected Type getSuperClass(Type type) {
      if (type.getSort() != Type.OBJECT) {
        return type.getSort() == Type.ARRAY ? Type.getObjectType(OBJECT) : null;
      }
      String s = superName(type.getInternalName());
      return s == null ? null : Type.getObjectType(s);
    }

    /** Whether a value of {@code from} may be assigned where {@code to} is expected. */
    @Override
    protected boolean isAssignableFrom(Type to, Type from) {
      if (to.equals(from)) {
        return true;
      }
      if (to.getSort() == Type.ARRAY) {
        if (from.getSort() != Type.ARRAY) {
          return false;
        }
        Type toElement = Type.getType(to.getDescriptor().substring(1));
        Type fromElement = Type.getType(from.getDescriptor().substring(1));
        boolean refs = isReference(toElement) && isReference(fromElement);
        return refs && isAssignableFrom(toElement, fromElement);
      }
      if (to.getSort() != Type.OBJECT || !isReference(from)) {
        return false;
      }
      String target = to.getInternalName();
      if (from.getSort() == Type.ARRAY) {
        return target.equals(OBJECT) || target.equals("java/lang/Cloneable")
            || target.equals("java/io/Serializable");
      }
      return target.equals(OBJECT) || reaches(from.getInternalName(), target);
    }

    /** Whether {@code target} is {@code type} or one of its supertypes (classes and interfaces). */
    private boolean reaches(String type, String target) {
      if (type.equals(target)) {
        return true;
      }
      if (type.equals(OBJECT)) {
        return false;
      }
      for (String s : supertypes(type)) {
        if (reaches(s, target)) {
          return true;
        }
      }
      return false;
    }

    private List<String> supertypes(String type) {
      List<String> out = new ArrayList<>();
      if (type.equals(self)) {
        if (selfSuper != null) {
          out.add(selfSuper);
        }
        out.addAll(selfInterfaces);
        return out;
      }
      require(type);
      String[] direct = hierarchy.directSupertypes(type);
      if (direct != null) {
        out.addAll(List.of(direct));
        return out;
      }
      // the header gives the super class but not the interfaces: only the class chain is known
      String s = hierarchy.superName(type);
      if (s == null) {
        throw unresolved(type);
      }
      out.add(s);
      return out;
    }

    private String superName(String type) {
      if (type.equals(self)) {
        return selfSuper;
      }
      if (type.equals(OBJECT)) {
        return null;
      }
      require(type);
      return hierarchy.superName(type);
    }

    private void require(String type) {
      if (!hierarchy.isKnown(type)) {
        throw unresolved(type);
      }
    }

    private static IllegalStateException unresolved(String type) {
      return new IllegalStateException("cannot resolve " + type.replace('/', '.')
          + " without loading classes");
    }

    private static boolean isReference(Type t) {
      return t.getSort() == Type.OBJECT || t.getSort() == Type.ARRAY;
    }

    /** Never: every type question is answered above, from the hierarchy. */
    @Override
    protected Class<?> getClass(Type type) {
      throw new IllegalStateException("the verifier would load " + type.getClassName());
    }
  }

  /** The written class does not verify; the message names the method and instruction index. */
  public static final class UnverifiableClassException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnverifiableClassException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
