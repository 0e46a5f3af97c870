package dev.rebyte.agent.analysis.owner;

import org.objectweb.asm.tree.AbstractInsnNode;

/**
 * What one site id of a {@link MethodScan} stands for: {@code this}, the value read from a candidate
 * field, a {@code new byte[n]} of the method, the value read from a codec field, or a new codec.
 * Immutable; compared by identity (a method's {@link TrackedIds} makes one per id).
 */
final class Tracked {
  /** The kinds of tracked value; each but {@link #THIS} carries one object, read by its accessor. */
  enum Kind {
    /** Local 0 of an instance method: its uses are not judged, it tells stores into this apart. */
    THIS,
    /** What a GETFIELD of a candidate field reads ({@link #field()}); every read of a field shares it. */
    FIELD_READ,
    /** The array of one NEWARRAY T_BYTE ({@link #newArray()}). */
    NEW_ARRAY,
    /** What a GETFIELD of an Inflater/Deflater field reads ({@link #codec()}), shared like FIELD_READ. */
    CODEC_READ,
    /** The object of one {@code new Inflater}/{@code new Deflater} ({@link #newCodec()}). */
    NEW_CODEC
  }

  private static final Tracked THIS_OBJECT = new Tracked(Kind.THIS, null, null, null, null);

  final Kind kind;
  private final FieldState field;
  private final AbstractInsnNode newArray;
  private final CodecFields.Field codec;
  private final CodecFields.Fresh newCodec;

  private Tracked(Kind kind, FieldState field, AbstractInsnNode newArray, CodecFields.Field codec,
      CodecFields.Fresh newCodec) {
    this.kind = kind;
    this.field = field;
    this.newArray = newArray;
    this.codec = codec;
    this.newCodec = newCodec;
  }

  static Tracked thisObject() {
    return THIS_OBJECT;
  }

  static Tracked fieldRead(FieldState field) {
    return new Tracked(Kind.FIELD_READ, field, null, null, null);
  }

  static Tracked newArray(AbstractInsnNode newarray) {
    return new Tracked(Kind.NEW_ARRAY, null, newarray, null, null);
  }

  static Tracked codecRead(CodecFields.Field codec) {
    return new Tracked(Kind.CODEC_READ, null, null, codec, null);
  }

  static Tracked newCodec(CodecFields.Fresh fresh) {
    return new Tracked(Kind.NEW_CODEC, null, null, null, fresh);
  }

  /** The candidate field read, null unless FIELD_READ. */
  FieldState field() { return field; }

  /** The NEWARRAY instruction, null unless NEW_ARRAY. */
  AbstractInsnNode newArray() { return newArray; }

  /** The codec field read, null unless CODEC_READ. */
  CodecFields.Field codec() { return codec; }

  /** The new codec, null unless NEW_CODEC. */
  CodecFields.Fresh newCodec() { return newCodec; }

  /** Whether this is a {@code byte[]} that may be owned: a candidate field's array or a new one. */
  boolean isArray() {
    return kind == Kind.FIELD_READ || kind == Kind.NEW_ARRAY;
  }
}
