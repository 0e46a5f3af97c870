package dev.rebyte.it.corpus;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Hand-assembles the negative control: {@code public static int f() { aconst_null; ireturn }}. */
final class BrokenClass {
  private BrokenClass() {}

  static byte[] returnsNullAsInt(String name) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream o = new DataOutputStream(bytes);
      o.writeInt(0xCAFEBABE);
      o.writeShort(0); // minor
      o.writeShort(52); // major: Java 8, type-checking verifier, no frames needed without branches
      o.writeShort(8); // constant pool count (7 entries)
      o.writeByte(1); o.writeUTF(name.replace('.', '/')); // #1
      o.writeByte(7); o.writeShort(1); // #2 this class
      o.writeByte(1); o.writeUTF("java/lang/Object"); // #3
      o.writeByte(7); o.writeShort(3); // #4 super class
      o.writeByte(1); o.writeUTF("f"); // #5
      o.writeByte(1); o.writeUTF("()I"); // #6
      o.writeByte(1); o.writeUTF("Code"); // #7
      o.writeShort(0x21); // public super
      o.writeShort(2);
      o.writeShort(4);
      o.writeShort(0); // interfaces
      o.writeShort(0); // fields
      o.writeShort(1); // methods
      o.writeShort(0x9); // public static
      o.writeShort(5);
      o.writeShort(6);
      o.writeShort(1); // attributes: Code
      o.writeShort(7);
      o.writeInt(14); // attribute length
      o.writeShort(1); // max stack
      o.writeShort(0); // max locals
      o.writeInt(2); // code length
      o.writeByte(0x01); // aconst_null
      o.writeByte(0xac); // ireturn: null is not an int
      o.writeShort(0); // exception table
      o.writeShort(0); // code attributes
      o.writeShort(0); // class attributes
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
