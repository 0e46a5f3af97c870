package dev.rebyte.agent.install;

import dev.rebyte.agent.transform.ClassTransformer;
import dev.rebyte.agent.transform.TransformResult;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.field.FieldList;
import net.bytebuddy.description.method.MethodList;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * The bridge between ByteBuddy's decoration and our {@link ClassTransformer}.
 *
 * <p>ByteBuddy ships its own ASM ({@code net.bytebuddy.jar.asm}); the analysis is written against
 * real ASM ({@code org.objectweb.asm}). The two meet as bytes:
 * <pre>
 *   ByteBuddy's ClassReader(original) --events--> Collector (a ByteBuddy-ASM ClassWriter, flags 0)
 *   visitEnd: bytes = collector.toByteArray()
 *             result = ClassTransformer.transform(bytes, TypePool-backed hierarchy)
 *             ClassReader(changed ? result : bytes).accept(ByteBuddy's delegate, 0)
 * </pre>
 * Writer flags stay as ByteBuddy has them (we ask for neither COMPUTE_MAXS nor COMPUTE_FRAMES), so
 * the frames the rewrite computed are copied as they are; reading never skips frames or debug
 * information, which the analysis needs (line numbers in the report). The replay goes through a new
 * ClassReader, so ASM's copy-the-method-unchanged shortcut (which compares the reader instance) never
 * copies an original method body over a rewritten one.
 */
final class RebyteVisitorWrapper implements AsmVisitorWrapper {
  private final ClassTransformer transformer;
  private final TransformRecorder recorder;
  private final ClassLoader loader;

  /** One per transformed class: ByteBuddy does not tell {@link #wrap} the defining loader. */
  RebyteVisitorWrapper(ClassTransformer transformer, TransformRecorder recorder, ClassLoader loader) {
    this.transformer = transformer;
    this.recorder = recorder;
    this.loader = loader;
  }

  @Override
  public int mergeWriter(int flags) {
    return flags;
  }

  @Override
  public int mergeReader(int flags) {
    return flags & ~(ClassReader.SKIP_FRAMES | ClassReader.SKIP_DEBUG | ClassReader.SKIP_CODE);
  }

  @Override
  public ClassVisitor wrap(TypeDescription type, ClassVisitor delegate, Implementation.Context context,
      TypePool pool, FieldList<FieldDescription.InDefinedShape> fields, MethodList<?> methods,
      int writerFlags, int readerFlags) {
    return new Collector(type.getName(), delegate, pool);
  }

  /** Collects the class as ByteBuddy reads it, then replays the transformed bytes into ByteBuddy. */
  private final class Collector extends ClassVisitor {
    private final String typeName;
    private final ClassVisitor delegate;
    private final TypePool pool;
    private final ClassWriter writer;

    Collector(String typeName, ClassVisitor delegate, TypePool pool) {
      this(typeName, delegate, pool, new ClassWriter(0));
    }

    private Collector(String typeName, ClassVisitor delegate, TypePool pool, ClassWriter writer) {
      super(OpenedClassReader.ASM_API, writer);
      this.typeName = typeName;
      this.delegate = delegate;
      this.pool = pool;
      this.writer = writer;
    }

    @Override
    public void visitEnd() {
      super.visitEnd();
      byte[] original = writer.toByteArray();
      TransformResult result = transformer.transform(original, new TypePoolHierarchy(pool, loader));
      recorder.record(typeName, loader, result);
      byte[] bytes = result.changed() ? result.bytes() : original;
      // An exception here reaches ByteBuddy's listener: the JVM keeps the original class.
      OpenedClassReader.of(bytes).accept(delegate, 0);
    }
  }
}
