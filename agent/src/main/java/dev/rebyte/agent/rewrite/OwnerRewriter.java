package dev.rebyte.agent.rewrite;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Emits the hand-back of owner-scoped buffers in one method of their class (the acquires are
 * {@link SiteRewriter}'s, kind OWNED). Decides nothing: the fields and release methods come from
 * {@code OwnerAnalysis}.
 *
 * <pre>
 * a store this.f = v in a constructor (f pooled, id k; the analysis proved the receiver is this):
 *   before putfield:   swap; dup; getfield f; astore old; swap      (stack: this, v -> this, v)
 *   after putfield:    aload old; k; invokestatic release([BI)V     (null, the first time, is ignored)
 * a store this.f = v in any other method:
 *   before putfield:   astore v'; dup; invokestatic ownerLock(Object)Object; dup; astore lock;
 *                      monitorenter; L0: dup; getfield f; astore old; aload v'   (stack: this, v)
 *   after putfield:    L1: aload lock; monitorexit; aload old; k; invokestatic release([BI)V
 * before every xRETURN of a release method (close()):
 *   per codec field g (an Inflater/Deflater a buffer was given to by setInput, see CodecFields):
 *                      aload 0; getfield g; astore c; aload c; ifnull L; aload c; invokevirtual end()V; L:
 *   aload 0; invokestatic ownerLock(Object)Object; dup; astore lock; monitorenter
 *   L0: per field f:   aload 0; getfield f; astore old_f; aload 0; aconst_null; putfield f
 *   L1: aload lock; monitorexit
 *   per field f:       aload old_f; k; invokestatic release([BI)V
 * once, at the end:    H: astore t; aload lock; monitorexit; aload t; athrow   (handler of each [L0, L1))
 * </pre>
 * Why the lock: two threads closing one owner at once (or one closing while the other replaces the
 * buffer) would otherwise both read the same array before either writes the field, and release it
 * twice -- the second time possibly while a third borrower holds it. Under the lock exactly one of
 * them takes each array out of the field. The lock is one of the runtime's striped plain objects,
 * never the owner (whose monitor is the application's); nothing else is locked while it is held.
 * The handler is javac's shape for a synchronized block: nothing in [L0, L1) can throw, but it keeps
 * the monitors structured for the JIT. After the release the field is null: any later use of the
 * buffer by the owner throws NullPointerException instead of touching an array another borrower now
 * holds, and a second close() releases null, which the runtime ignores. The release itself runs
 * after the lock is let go.
 */
public final class OwnerRewriter {
  private static final String RUNTIME = SiteRewriter.RUNTIME;

  private final String owner;
  private final MethodNode method;
  private final Map<String, Integer> ids;
  private final Map<String, String> codecs;
  private final LabelNode handler = new LabelNode();
  private int lock = -1;

  private OwnerRewriter(String owner, MethodNode method, Map<String, Integer> ids,
      Map<String, String> codecs) {
    this.owner = owner;
    this.method = method;
    this.ids = ids;
    this.codecs = codecs;
  }

  /**
   * @param owner the class's internal name
   * @param ids the registered id of each pooled field, by field name
   * @param release whether {@code method} is a release method
   * @param codecs the codec fields to end before releasing: name to type (internal name)
   * @return whether the method was changed (it stores into a pooled field, or it is a release
   *     method with a return)
   */
  public static boolean rewrite(String owner, MethodNode method, Map<String, Integer> ids, boolean release,
      Map<String, String> codecs) {
    return new OwnerRewriter(owner, method, ids, codecs).rewrite(release);
  }

  private boolean rewrite(boolean release) {
    InsnList insns = method.instructions;
    List<FieldInsnNode> stores = new ArrayList<>();
    List<AbstractInsnNode> returns = new ArrayList<>();
    for (AbstractInsnNode insn = insns.getFirst(); insn != null; insn = insn.getNext()) {
      int op = insn.getOpcode();
      if (op == Opcodes.PUTFIELD && ((FieldInsnNode) insn).owner.equals(owner)
          && ids.containsKey(((FieldInsnNode) insn).name)) {
        stores.add((FieldInsnNode) insn);
      } else if (op >= Opcodes.IRETURN && op <= Opcodes.RETURN) {
        returns.add(insn);
      }
    }
    if (!stores.isEmpty()) {
      boolean constructor = "<init>".equals(method.name);
      int old = method.maxLocals++;
      int value = constructor ? -1 : method.maxLocals++;
      for (FieldInsnNode store : stores) {
        if (constructor) {
          storeInConstructor(store, old);
        } else {
          storeLocked(store, old, value);
        }
      }
    }
    if (release && !returns.isEmpty()) {
      int[] olds = new int[ids.size()];
      for (int k = 0; k < olds.length; k++) {
        olds[k] = method.maxLocals++;
      }
      int codec = codecs.isEmpty() ? -1 : method.maxLocals++;
      for (AbstractInsnNode ret : returns) {
        endCodecsBefore(ret, codec);
        releaseBefore(ret, olds);
      }
    }
    if (lock >= 0) {
      int thrown = method.maxLocals++;
      InsnList h = new InsnList();
      h.add(handler);
      h.add(new VarInsnNode(Opcodes.ASTORE, thrown)); // stack: throwable ->
      h.add(new VarInsnNode(Opcodes.ALOAD, lock)); // stack: -> lock
      h.add(new InsnNode(Opcodes.MONITOREXIT)); // stack: lock ->
      h.add(new VarInsnNode(Opcodes.ALOAD, thrown)); // stack: -> throwable
      h.add(new InsnNode(Opcodes.ATHROW)); // stack: throwable ->
      insns.add(h);
    }
    return !stores.isEmpty() || release && !returns.isEmpty();
  }

  /** The object is not shared yet: no lock. */
  private void storeInConstructor(FieldInsnNode store, int old) {
    InsnList before = new InsnList();
    before.add(new InsnNode(Opcodes.SWAP)); // stack: this, v -> v, this
    before.add(new InsnNode(Opcodes.DUP)); // stack: v, this -> v, this, this
    before.add(new FieldInsnNode(Opcodes.GETFIELD, owner, store.name, "[B")); // -> v, this, old
    before.add(new VarInsnNode(Opcodes.ASTORE, old)); // stack: v, this, old -> v, this
    before.add(new InsnNode(Opcodes.SWAP)); // stack: v, this -> this, v
    method.instructions.insertBefore(store, before);
    method.instructions.insert(store, release(old, ids.get(store.name)));
  }

  private void storeLocked(FieldInsnNode store, int old, int value) {
    LabelNode start = new LabelNode();
    LabelNode end = new LabelNode();
    InsnList before = new InsnList();
    before.add(new VarInsnNode(Opcodes.ASTORE, value)); // stack: this, v -> this
    before.add(new InsnNode(Opcodes.DUP)); // stack: this -> this, this
    enter(before); // stack: this, this -> this
    before.add(start);
    before.add(new InsnNode(Opcodes.DUP)); // stack: this -> this, this
    before.add(new FieldInsnNode(Opcodes.GETFIELD, owner, store.name, "[B")); // -> this, old
    before.add(new VarInsnNode(Opcodes.ASTORE, old)); // stack: this, old -> this
    before.add(new VarInsnNode(Opcodes.ALOAD, value)); // stack: this -> this, v
    method.instructions.insertBefore(store, before);
    InsnList after = new InsnList();
    after.add(end);
    after.add(new VarInsnNode(Opcodes.ALOAD, lock)); // stack: -> lock
    after.add(new InsnNode(Opcodes.MONITOREXIT)); // stack: lock ->
    after.add(release(old, ids.get(store.name)));
    method.instructions.insert(store, after);
    method.tryCatchBlocks.add(0, new TryCatchBlockNode(start, end, handler, null));
  }

  /** Ends every codec a buffer was handed to, so that none can read it once it is released. */
  private void endCodecsBefore(AbstractInsnNode ret, int local) {
    InsnList at = new InsnList();
    for (Map.Entry<String, String> g : codecs.entrySet()) {
      LabelNode skip = new LabelNode();
      at.add(new VarInsnNode(Opcodes.ALOAD, 0)); // stack: .. -> .., this
      at.add(new FieldInsnNode(Opcodes.GETFIELD, owner, g.getKey(), "L" + g.getValue() + ";")); // -> .., codec
      at.add(new VarInsnNode(Opcodes.ASTORE, local)); // stack: .., codec -> ..
      at.add(new VarInsnNode(Opcodes.ALOAD, local)); // stack: .. -> .., codec
      at.add(new JumpInsnNode(Opcodes.IFNULL, skip)); // stack: .., codec -> ..
      at.add(new VarInsnNode(Opcodes.ALOAD, local)); // stack: .. -> .., codec
      at.add(new MethodInsnNode(Opcodes.INVOKEVIRTUAL, g.getValue(), "end", "()V", false)); // -> ..
      at.add(skip);
    }
    method.instructions.insertBefore(ret, at);
  }

  private void releaseBefore(AbstractInsnNode ret, int[] olds) {
    LabelNode start = new LabelNode();
    LabelNode end = new LabelNode();
    InsnList at = new InsnList();
    at.add(new VarInsnNode(Opcodes.ALOAD, 0)); // stack: .. -> .., this
    enter(at); // stack: .., this -> ..
    at.add(start);
    int k = 0;
    for (String field : ids.keySet()) {
      at.add(new VarInsnNode(Opcodes.ALOAD, 0)); // stack: .. -> .., this
      at.add(new FieldInsnNode(Opcodes.GETFIELD, owner, field, "[B")); // stack: .., this -> .., old
      at.add(new VarInsnNode(Opcodes.ASTORE, olds[k++])); // stack: .., old -> ..
      at.add(new VarInsnNode(Opcodes.ALOAD, 0)); // stack: .. -> .., this
      at.add(new InsnNode(Opcodes.ACONST_NULL)); // stack: .., this -> .., this, null
      at.add(new FieldInsnNode(Opcodes.PUTFIELD, owner, field, "[B")); // stack: .., this, null -> ..
    }
    at.add(end);
    at.add(new VarInsnNode(Opcodes.ALOAD, lock)); // stack: .. -> .., lock
    at.add(new InsnNode(Opcodes.MONITOREXIT)); // stack: .., lock -> ..
    k = 0;
    for (Integer id : ids.values()) {
      at.add(release(olds[k++], id));
    }
    method.instructions.insertBefore(ret, at);
    method.tryCatchBlocks.add(0, new TryCatchBlockNode(start, end, handler, null));
  }

  /** Takes the owner's lock; stack: this -> (empty). */
  private void enter(InsnList at) {
    if (lock < 0) {
      lock = method.maxLocals++;
    }
    at.add(call("ownerLock", "(Ljava/lang/Object;)Ljava/lang/Object;")); // stack: this -> lock
    at.add(new InsnNode(Opcodes.DUP)); // stack: lock -> lock, lock
    at.add(new VarInsnNode(Opcodes.ASTORE, lock)); // stack: lock, lock -> lock
    at.add(new InsnNode(Opcodes.MONITORENTER)); // stack: lock ->
  }

  private static InsnList release(int local, int id) {
    InsnList at = new InsnList();
    at.add(new VarInsnNode(Opcodes.ALOAD, local)); // stack: -> old
    at.add(SiteRewriter.pushInt(id)); // stack: old -> old, site
    at.add(call("release", "([BI)V")); // stack: old, site ->
    return at;
  }

  /**
   * Clears ACC_FINAL of the pooled fields where the JVM would refuse {@code this.f = null} outside a
   * constructor: class files of version 53 (Java 9) and later. Older class files may write their own
   * final fields from any method, so they keep the flag (and the schema of the original class).
   */
  public static void unfinal(ClassNode node, Map<String, Integer> ids) {
    if ((node.version & 0xFFFF) < Opcodes.V9) {
      return;
    }
    for (FieldNode f : node.fields) {
      if (ids.containsKey(f.name) && "[B".equals(f.desc) && (f.access & Opcodes.ACC_STATIC) == 0) {
        f.access &= ~Opcodes.ACC_FINAL;
      }
    }
  }

  private static MethodInsnNode call(String name, String descriptor) {
    return new MethodInsnNode(Opcodes.INVOKESTATIC, RUNTIME, name, descriptor, false);
  }
}
