package dev.rebyte.agent.analysis.owner;

import dev.rebyte.agent.decision.Reason;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;

/**
 * The {@code java.util.zip.Inflater} and {@code Deflater} an owner keeps in its own fields, for
 * {@link OwnerAnalysis}: {@code setInput(buf, off, len)} keeps a reference to {@code buf} inside the
 * codec, so an owner-scoped buffer handed to it is safe to release only if that codec can never
 * read it again. It cannot once it is ended ({@code end()}: every method that reads input then
 * throws), and nobody else can reach it when the owner is its only holder.
 *
 * <p>A codec field qualifies when it is private, only ever given a fresh {@code new Inflater(..)} /
 * {@code new Deflater(..)} of this class or null, by stores into {@code this}, and every value read
 * from it (or the fresh codec itself) is used only as the receiver of Inflater/Deflater methods.
 * An owner-scoped buffer passed to {@code setInput} of such a field's codec stays owner-scoped on two
 * more conditions: the buffer field is not replaced outside constructors (the codec may still read
 * the old array), and the owner's release method ends the codec first: the rewrite emits
 * {@code if (this.g != null) this.g.end();} before the buffers are taken (a no-op when the class has
 * ended it or dropped it already; after it, a use of the closed owner's codec throws).
 */
final class CodecFields {
  static final Set<String> TYPES = Set.of("java/util/zip/Inflater", "java/util/zip/Deflater");

  /** One codec field and why it does not qualify (null while it does). */
  static final class Field {
    final FieldNode node;
    final String type;
    String why;
    final Set<Fresh> stores = new LinkedHashSet<>();

    Field(FieldNode node) {
      this.node = node;
      this.type = node.desc.substring(1, node.desc.length() - 1);
      if ((node.access & Opcodes.ACC_PRIVATE) == 0) {
        why = "is not private";
      }
    }

    void reject(String w) {
      if (why == null) {
        why = w;
      }
    }
  }

  /** A {@code new Inflater}/{@code new Deflater} instruction, as a tracked value. */
  static final class Fresh {
    final AbstractInsnNode insn;
    String escape;

    Fresh(AbstractInsnNode insn) {
      this.insn = insn;
    }
  }

  private final Map<String, Field> fields = new LinkedHashMap<>();
  private final Map<FieldState, Set<Field>> inputs = new IdentityHashMap<>();
  private final Map<FieldState, String> inputDetail = new IdentityHashMap<>();

  CodecFields(ClassNode c) {
    for (FieldNode f : c.fields) {
      if ((f.access & Opcodes.ACC_STATIC) == 0 && f.desc.startsWith("L")
          && TYPES.contains(f.desc.substring(1, f.desc.length() - 1))) {
        fields.put(f.name, new Field(f));
      }
    }
  }

  boolean isEmpty() {
    return fields.isEmpty();
  }

  /** The codec field of that name, or null. */
  Field field(String name) {
    return fields.get(name);
  }

  /** Remembers that owned field {@code owned} is the input buffer of codec field {@code g}. */
  void input(FieldState owned, Field g, String what) {
    inputs.computeIfAbsent(owned, k -> new LinkedHashSet<>()).add(g);
    inputDetail.putIfAbsent(owned, what);
  }

  /** The codec fields the owned field's array is handed to by setInput; empty when none. */
  private Set<Field> inputsOf(FieldState owned) {
    Set<Field> g = inputs.get(owned);
    return g == null ? Set.of() : g;
  }

  /** The setInput use that made {@code owned} depend on a codec. */
  private String inputDetail(FieldState owned) {
    return inputDetail.get(owned);
  }

  /** After every method was scanned: a codec stored fresh but also passed on does not qualify. */
  void finish() {
    for (Field g : fields.values()) {
      for (Fresh f : g.stores) {
        if (f.escape != null) {
          g.reject("is given a new codec that is also " + f.escape);
        }
      }
    }
  }

  /**
   * After {@link #finish()}: rejects an owned field given by setInput to a codec field that does not
   * qualify, or that is replaced outside constructors (the codec may still read the old array).
   */
  void checkInputs(Collection<FieldState> owned) {
    for (FieldState f : owned) {
      for (Field g : inputsOf(f)) {
        String use = inputDetail(f);
        if (g.why != null) {
          f.reject(Reason.FIELD_ESCAPES,
              use + " (the " + simple(g.type) + " in field " + g.node.name + " " + g.why + ")");
        } else if (f.replacedLater) {
          f.reject(Reason.FIELD_ESCAPES, use + " (and the field is replaced outside constructors while the "
              + simple(g.type) + " in field " + g.node.name + " may still read the old array)");
        }
      }
    }
  }

  /** The names of the codec fields the owned field's array is handed to, in the order found. */
  List<String> endsOf(FieldState owned) {
    List<String> ends = new ArrayList<>();
    for (Field g : inputsOf(owned)) {
      ends.add(g.node.name);
    }
    return ends;
  }

  /** Codec fields to end at release, for the given owned fields: name to type's internal name. */
  Map<String, String> toEnd(Iterable<FieldState> owned) {
    Set<Field> out = new LinkedHashSet<>();
    for (FieldState f : owned) {
      out.addAll(inputsOf(f));
    }
    Map<String, String> ends = new LinkedHashMap<>();
    for (Field g : out) {
      ends.put(g.node.name, g.type);
    }
    return ends;
  }

  private static String simple(String internalName) {
    return internalName.substring(internalName.lastIndexOf('/') + 1);
  }
}
