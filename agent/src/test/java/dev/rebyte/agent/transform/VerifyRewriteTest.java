package dev.rebyte.agent.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebyte.agent.classfile.TypeHierarchy;
import dev.rebyte.agent.decision.Decision;
import dev.rebyte.agent.decision.Reason;
import dev.rebyte.agent.decision.SiteDecision;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The transformer verifies what it wrote: a class whose rewrite verifies is returned rewritten; one
 * whose written code does not type-check is returned as it came, with REWRITE_UNVERIFIABLE. The types
 * {@code gen/A} and {@code gen/B extends gen/A} exist only as bytes in a map, never on the class path,
 * so a verifier that loaded a class could not answer.
 */
class VerifyRewriteTest implements Opcodes {
  private static final TypeHierarchy JDK = TypeHierarchy.fromResources(null);
  private static final Map<String, byte[]> GEN = Map.of("gen/A", type("gen/A", "java/lang/Object"),
      "gen/B", type("gen/B", "gen/A"));
  private final ClassTransformer transformer =
      new ClassTransformer(TransformSettings.defaults(), (s, m) -> 7);

  @Test
  void rewriteThatVerifies_isReturnedRewritten() {
    byte[] input = merging();
    TransformResult r = transformer.transform(input, new MapHierarchy(null));
    assertTrue(r.changed(), r.toString());
    assertNull(r.classReason());
    assertNull(r.failure());
    assertEquals(Decision.POOLED, r.sites().get(0).decision());
  }

  @Test
  void rewriteWhoseFramesContradictTheCode_keepsTheOriginalBytes() {
    // gen/B's super class answered as Object: the frame at the join of an A and a B says Object,
    // and invokevirtual gen/A.foo on it would be a VerifyError in the JVM
    byte[] input = merging();
    TransformResult r = transformer.transform(input, new MapHierarchy("java/lang/Object"));
    assertSame(input, r.bytes());
    assertEquals(Reason.REWRITE_UNVERIFIABLE, r.classReason());
    String message = r.failure().getMessage();
    assertTrue(message.startsWith("gen.Merging.m(Z)I: Error at instruction "), message);
    SiteDecision d = r.sites().get(0);
    assertEquals(Decision.SKIPPED, d.decision());
    assertEquals(Reason.REWRITE_UNVERIFIABLE, d.reason());
    assertEquals(message, d.detail());
  }

  @Test
  void whatTheVerifierRefuses_hotSpotRefusesToo() throws Exception {
    // the same rewrite, written without verification, defined next to the real gen/A and gen/B
    byte[] unverified = new ClassTransformer(TransformSettings.defaults(), (s, m) -> 7, false)
        .transform(merging(), new MapHierarchy("java/lang/Object")).bytes();
    ClassLoader loader = new ClassLoader(VerifyRewriteTest.class.getClassLoader()) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] b = name.equals("gen.Merging") ? unverified : GEN.get(name.replace('.', '/'));
        if (b == null) {
          throw new ClassNotFoundException(name);
        }
        return defineClass(name, b, 0, b.length);
      }
    };
    assertThrows(VerifyError.class, () -> Class.forName("gen.Merging", true, loader));
  }

  @Test
  void unknownTypeInARewrittenMethod_isNotGuessedAssignable() {
    // no merge, so the frames need no type; the call needs gen/B to be a gen/A, which the JDK-only
    // hierarchy cannot tell: not guessed, the class is left as it was
    byte[] input = passing();
    assertTrue(transformer.transform(input, new MapHierarchy(null)).changed());
    TransformResult r = transformer.transform(input, JDK);
    assertSame(input, r.bytes());
    assertEquals(Reason.REWRITE_UNVERIFIABLE, r.classReason());
    assertTrue(r.failure().getMessage().endsWith("cannot resolve gen.B without loading classes"),
        r.failure().getMessage());
    assertThrows(ClassNotFoundException.class, () -> Class.forName("gen.B"));
  }

  /** {@code static int m() { byte[] b = new byte[8192]; return take(new B()) + b.length; }} */
  static byte[] passing() {
    ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    cw.visit(V11, ACC_PUBLIC, "gen/Passing", null, "java/lang/Object", null);
    MethodVisitor mv = cw.visitMethod(ACC_STATIC, "m", "()I", null, null);
    mv.visitCode();
    mv.visitIntInsn(SIPUSH, 8192);
    mv.visitIntInsn(NEWARRAY, T_BYTE); // stack: length -> byte[]
    mv.visitVarInsn(ASTORE, 0);
    newInstance(mv, "gen/B"); // stack: -> B
    mv.visitMethodInsn(INVOKESTATIC, "gen/Passing", "take", "(Lgen/A;)I", false); // stack: B -> int
    mv.visitVarInsn(ALOAD, 0);
    mv.visitInsn(ARRAYLENGTH);
    mv.visitInsn(IADD);
    mv.visitInsn(IRETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    MethodVisitor take = cw.visitMethod(ACC_STATIC, "take", "(Lgen/A;)I", null, null);
    take.visitCode();
    take.visitInsn(ICONST_0);
    take.visitInsn(IRETURN);
    take.visitMaxs(0, 0);
    take.visitEnd();
    cw.visitEnd();
    return cw.toByteArray();
  }

  /**
   * {@code static int m(boolean z) { byte[] b = new byte[8192]; A a = z ? new A() : new B();
   * return a.foo() + b.length; }}
   */
  static byte[] merging() {
    ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    cw.visit(V11, ACC_PUBLIC, "gen/Merging", null, "java/lang/Object", null);
    MethodVisitor mv = cw.visitMethod(ACC_STATIC, "m", "(Z)I", null, null);
    mv.visitCode();
    mv.visitIntInsn(SIPUSH, 8192);
    mv.visitIntInsn(NEWARRAY, T_BYTE); // stack: length -> byte[]
    mv.visitVarInsn(ASTORE, 1);
    Label other = new Label();
    Label join = new Label();
    mv.visitVarInsn(ILOAD, 0);
    mv.visitJumpInsn(IFEQ, other);
    newInstance(mv, "gen/A"); // stack: -> A
    mv.visitJumpInsn(GOTO, join);
    mv.visitLabel(other);
    newInstance(mv, "gen/B"); // stack: -> B
    mv.visitLabel(join); // stack: A or B, merged
    mv.visitMethodInsn(INVOKEVIRTUAL, "gen/A", "foo", "()I", false); // stack: a -> int
    mv.visitVarInsn(ALOAD, 1);
    mv.visitInsn(ARRAYLENGTH); // stack: int, byte[] -> int, int
    mv.visitInsn(IADD);
    mv.visitInsn(IRETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    cw.visitEnd();
    return cw.toByteArray();
  }

  private static void newInstance(MethodVisitor mv, String type) {
    mv.visitTypeInsn(NEW, type);
    mv.visitInsn(DUP);
    mv.visitMethodInsn(INVOKESPECIAL, type, "<init>", "()V", false);
  }

  /** A class with a no-argument constructor and {@code int foo()}. */
  static byte[] type(String name, String superName) {
    ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    cw.visit(V11, ACC_PUBLIC, name, null, superName, null);
    MethodVisitor init = cw.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
    init.visitCode();
    init.visitVarInsn(ALOAD, 0);
    init.visitMethodInsn(INVOKESPECIAL, superName, "<init>", "()V", false);
    init.visitInsn(RETURN);
    init.visitMaxs(0, 0);
    init.visitEnd();
    MethodVisitor foo = cw.visitMethod(ACC_PUBLIC, "foo", "()I", null, null);
    foo.visitCode();
    foo.visitInsn(ICONST_1);
    foo.visitInsn(IRETURN);
    foo.visitMaxs(0, 0);
    foo.visitEnd();
    cw.visitEnd();
    return cw.toByteArray();
  }

  /** The JDK from resources, gen/A and gen/B from {@link #GEN}; gen/B's super class overridable. */
  static final class MapHierarchy implements TypeHierarchy {
    private final String superOfB;

    /** @param superOfB what gen/B's super class is said to be; null: the truth (gen/A) */
    MapHierarchy(String superOfB) {
      this.superOfB = superOfB;
    }

    @Override
    public String superName(String internalName) {
      if (superOfB != null && internalName.equals("gen/B")) {
        return superOfB;
      }
      return GEN.containsKey(internalName) ? (internalName.equals("gen/B") ? "gen/A" : "java/lang/Object")
          : JDK.superName(internalName);
    }

    @Override
    public boolean isInterface(String internalName) {
      return !GEN.containsKey(internalName) && JDK.isInterface(internalName);
    }

    @Override
    public byte[] classFile(String internalName) {
      if (superOfB != null && internalName.equals("gen/B")) {
        return type("gen/B", superOfB);
      }
      return GEN.containsKey(internalName) ? GEN.get(internalName) : JDK.classFile(internalName);
    }
  }
}
