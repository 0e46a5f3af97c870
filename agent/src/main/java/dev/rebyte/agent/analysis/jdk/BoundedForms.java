package dev.rebyte.agent.analysis.jdk;

import dev.rebyte.agent.decision.BoundedForm;
import dev.rebyte.agent.decision.BoundedForm.Range;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The calls a rounded site's array may be passed to, and how each is kept from seeing more than the
 * logical length {@code n}. A call not in this table makes its site exact ({@link
 * Rounding#UNBOUNDED_CALL}). Matching is by the owner written in the instruction, like {@link
 * NonRetainingMethods}; the owners are the JDK types whose documented contract makes the whole form
 * equal to the ranged one ("has exactly the same effect as {@code write(b, 0, b.length)}").
 *
 * <h2>Whole-array forms: rewritten to their bounded equivalent ({@code 0, n} after each array)</h2>
 * <pre>
 * whole form                                  bounded form                          owners
 * read([B)I                                   read([BII)I                           InputStream family, RandomAccessFile, ObjectInput
 * readFully([B)V                              readFully([BII)V                      DataInputStream, ObjectInputStream, RandomAccessFile, DataInput, ObjectInput
 * write([B)V                                  write([BII)V                          OutputStream family, RandomAccessFile, DataOutput, ObjectOutput
 * writeBytes([B)V                             write([BII)V                          ByteArrayOutputStream, PrintStream
 * unread([B)V                                 unread([BII)V                         PushbackInputStream
 * String.&lt;init&gt;([B)V                          &lt;init&gt;([BII)V
 * String.&lt;init&gt;([BLjava/nio/charset/Charset;)V &lt;init&gt;([BIILjava/nio/charset/Charset;)V
 * String.&lt;init&gt;([BLjava/lang/String;)V        &lt;init&gt;([BIILjava/lang/String;)V
 * BigInteger.&lt;init&gt;([B)V / (I[B)V            &lt;init&gt;([BII)V / (I[BII)V
 * Arrays.fill([BB)V                           fill([BIIB)V
 * Arrays.sort([B)V                            sort([BII)V
 * Arrays.binarySearch([BB)I                   binarySearch([BIIB)I
 * Arrays.equals([B[B)Z                        equals([BII[BII)Z                     (both arrays: see below)
 * Arrays.mismatch/compare/compareUnsigned([B[B)I   same name ([BII[BII)I
 * MessageDigest.update([B)V                   update([BII)V
 * Checksum/CRC32/Adler32/CRC32C.update([B)V   update([BII)V
 * ByteBuffer.get/put([B) / (I[B)             get/put([BII) / (I[BII)
 * Inflater.inflate([B)I, Deflater.deflate([B)I   inflate/deflate([BII)I
 * Inflater/Deflater.setDictionary([B)V        setDictionary([BII)V
 * </pre>
 * A whole form with two arrays (equals, mismatch, compare) needs the length of the other array too:
 * it gets {@code 0, n} when it is a rounded site, {@code 0, other.length} when it is certainly another
 * site's (non-null) array; anything else (a parameter: may be null, and the whole form accepts null)
 * makes the site exact.
 *
 * <h2>Ranged forms: checked against n, slow path on an exact-length copy</h2>
 * <pre>
 * call                                        range per array argument               writes
 * read/readNBytes([BII)I, readFully([BII)V     (off, len)                             yes
 * write([BII)V, unread([BII)V                  (off, len)                             no
 * System.arraycopy(src, sp, dst, dp, len)     src (sp, len), dst (dp, len)           dst
 * String.&lt;init&gt;([BII...)V                     (off, len); ([BIII)V: (off, count) after hibyte
 * BigInteger.&lt;init&gt;([BII)V / (I[BII)V          (off, len)                             no
 * Arrays.fill([BIIB)V, sort([BII)V             [from, to)                             yes
 * Arrays.copyOfRange([BII)[B, binarySearch     [from, to)                             no
 * Arrays.copyOf([BI)[B                         [0, newLength)                         no
 * Arrays.equals/mismatch/compare*([BII[BII)    [from, to) for each array              no
 * MessageDigest.update([BII)V                  (off, len)                             no
 * MessageDigest.digest([BII)I                  (off, len)                             yes
 * Checksum...update([BII)V                     (off, len)                             no
 * ByteBuffer.get([BII) / (I[BII)              (off, len)                             yes (put: no)
 * Inflater.inflate([BII)I, Deflater.deflate([BII)I / ([BIII)I   (off, len)           yes
 * Inflater/Deflater.setDictionary([BII)V       (off, len)                             no
 * </pre>
 * Inside n, a ranged method touches only its range and checks the range against the array's length,
 * which it passes on a longer array as it passes on one of length n: the call is left as it is. A
 * range not inside {@code [0, n)} (negative, past n, from &gt; to, or copyOf/copyOfRange padding
 * past n) takes a slow path that makes the very same call on {@code Arrays.copyOf(b, n)}, an array of
 * exactly the original length and content: the callee throws its own exception, with its own type,
 * message and check order (IndexOutOfBoundsException from streams, ArrayIndexOutOfBoundsException from
 * arraycopy, IllegalArgumentException from fill's from &gt; to...), or computes the padded copy. For a
 * callee that writes and still returns normally, the copy is copied back into {@code [0, n)}.
 *
 * <p>Not supported (the site stays exact): Arrays.hashCode/toString, MessageDigest.digest([B)[B and
 * isEqual, Base64, UUID.nameUUIDFromBytes, Cipher, Mac, String.getBytes(II[BI)V, user-trusted methods
 * (rebyte.trust), and an array passed as a receiver ({@code b.clone()} is not trusted anyway).
 */
public final class BoundedForms {
  private BoundedForms() {}

  /** The form of a call instruction, or null when the call has none. */
  public static BoundedForm of(String owner, String name, String descriptor) {
    return TABLE.get(owner + '.' + name + descriptor);
  }

  private static final Map<String, BoundedForm> TABLE = new HashMap<>();

  static {
    // the owners NonRetainingMethods trusts for these calls (one list), plus ObjectInput's read
    List<String> inputs = new ArrayList<>(NonRetainingMethods.INPUT_STREAMS);
    inputs.add("java/io/ObjectInput");
    for (String o : inputs) {
      whole(o, "read", "([B)I", "read");
      ranged(o, "read", "([BII)I", offLen(0, 1, 2, true));
      ranged(o, "readNBytes", "([BII)I", offLen(0, 1, 2, true));
    }
    for (String o : NonRetainingMethods.FULLY_READERS) {
      whole(o, "readFully", "([B)V", "readFully");
      ranged(o, "readFully", "([BII)V", offLen(0, 1, 2, true));
    }
    whole("java/io/PushbackInputStream", "unread", "([B)V", "unread");
    ranged("java/io/PushbackInputStream", "unread", "([BII)V", offLen(0, 1, 2, false));
    for (String o : NonRetainingMethods.OUTPUT_STREAMS) {
      whole(o, "write", "([B)V", "write");
      ranged(o, "write", "([BII)V", offLen(0, 1, 2, false));
    }
    whole("java/io/ByteArrayOutputStream", "writeBytes", "([B)V", "write");
    whole("java/io/PrintStream", "writeBytes", "([B)V", "write");
    ranged("java/lang/System", "arraycopy", "(Ljava/lang/Object;ILjava/lang/Object;II)V",
        offLen(0, 1, 4, false), offLen(2, 3, 4, true));

    String string = "java/lang/String";
    whole(string, "<init>", "([B)V", "<init>");
    whole(string, "<init>", "([BLjava/nio/charset/Charset;)V", "<init>");
    whole(string, "<init>", "([BLjava/lang/String;)V", "<init>");
    ranged(string, "<init>", "([BII)V", offLen(0, 1, 2, false));
    ranged(string, "<init>", "([BIILjava/nio/charset/Charset;)V", offLen(0, 1, 2, false));
    ranged(string, "<init>", "([BIILjava/lang/String;)V", offLen(0, 1, 2, false));
    ranged(string, "<init>", "([BIII)V", offLen(0, 2, 3, false));
    String bigInteger = "java/math/BigInteger";
    whole(bigInteger, "<init>", "([B)V", "<init>");
    whole(bigInteger, "<init>", "(I[B)V", "<init>");
    ranged(bigInteger, "<init>", "([BII)V", offLen(0, 1, 2, false));
    ranged(bigInteger, "<init>", "(I[BII)V", offLen(1, 2, 3, false));

    String arrays = "java/util/Arrays";
    whole(arrays, "fill", "([BB)V", "fill");
    ranged(arrays, "fill", "([BIIB)V", fromTo(0, 1, 2, true));
    whole(arrays, "sort", "([B)V", "sort");
    ranged(arrays, "sort", "([BII)V", fromTo(0, 1, 2, true));
    whole(arrays, "binarySearch", "([BB)I", "binarySearch");
    ranged(arrays, "binarySearch", "([BIIB)I", fromTo(0, 1, 2, false));
    ranged(arrays, "copyOfRange", "([BII)[B", fromTo(0, 1, 2, false));
    ranged(arrays, "copyOf", "([BI)[B", fromTo(0, -1, 1, false));
    for (String name : new String[] {"equals", "mismatch", "compare", "compareUnsigned"}) {
      String ret = name.equals("equals") ? "Z" : "I";
      whole(arrays, name, "([B[B)" + ret, name);
      ranged(arrays, name, "([BII[BII)" + ret, fromTo(0, 1, 2, false), fromTo(3, 4, 5, false));
    }

    String digest = "java/security/MessageDigest";
    whole(digest, "update", "([B)V", "update");
    ranged(digest, "update", "([BII)V", offLen(0, 1, 2, false));
    ranged(digest, "digest", "([BII)I", offLen(0, 1, 2, true));
    for (String o : new String[] {"java/util/zip/Checksum", "java/util/zip/CRC32",
        "java/util/zip/Adler32", "java/util/zip/CRC32C"}) {
      whole(o, "update", "([B)V", "update");
      ranged(o, "update", "([BII)V", offLen(0, 1, 2, false));
    }
    String buffer = "java/nio/ByteBuffer";
    for (String name : new String[] {"get", "put"}) {
      boolean writes = name.equals("get");
      whole(buffer, name, "([B)Ljava/nio/ByteBuffer;", name);
      whole(buffer, name, "(I[B)Ljava/nio/ByteBuffer;", name);
      ranged(buffer, name, "([BII)Ljava/nio/ByteBuffer;", offLen(0, 1, 2, writes));
      ranged(buffer, name, "(I[BII)Ljava/nio/ByteBuffer;", offLen(1, 2, 3, writes));
    }
    String inflater = "java/util/zip/Inflater";
    String deflater = "java/util/zip/Deflater";
    whole(inflater, "inflate", "([B)I", "inflate");
    ranged(inflater, "inflate", "([BII)I", offLen(0, 1, 2, true));
    whole(deflater, "deflate", "([B)I", "deflate");
    ranged(deflater, "deflate", "([BII)I", offLen(0, 1, 2, true));
    ranged(deflater, "deflate", "([BIII)I", offLen(0, 1, 2, true));
    for (String o : new String[] {inflater, deflater}) {
      whole(o, "setDictionary", "([B)V", "setDictionary");
      ranged(o, "setDictionary", "([BII)V", offLen(0, 1, 2, false));
    }
  }

  private static Range offLen(int array, int off, int len, boolean writes) {
    return Range.offLen(array, off, len, writes);
  }

  private static Range fromTo(int array, int from, int to, boolean writes) {
    return Range.fromTo(array, from, to, writes);
  }

  private static void ranged(String owner, String name, String descriptor, Range... ranges) {
    TABLE.put(owner + '.' + name + descriptor, BoundedForm.ranged(ranges));
  }

  private static void whole(String owner, String name, String descriptor, String boundedName) {
    TABLE.put(owner + '.' + name + descriptor, BoundedForm.whole(descriptor, boundedName));
  }
}
