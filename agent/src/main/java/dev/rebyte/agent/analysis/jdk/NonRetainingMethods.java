package dev.rebyte.agent.analysis.jdk;

import dev.rebyte.agent.select.MethodPattern;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Methods known not to keep a {@code byte[]} they are given (as argument or receiver) and not to
 * return it: a call to one of them is a safe use. Immutable; {@link #with} applies
 * {@code rebyte.trust} and {@code rebyte.distrust} (distrust wins).
 *
 * <h2>Matching</h2>
 * A call instruction matches by the owner written in it ({@code invokevirtual java/io/InputStream.read}),
 * its name and descriptor; the class hierarchy is NOT walked. A call whose owner is a subclass
 * ({@code invokevirtual com/acme/MyStream.read([B)I}) matches only if that subclass is listed,
 * because the subclass may override the method and keep the array. The virtual JDK entries
 * ({@code InputStream.read}, {@code OutputStream.write}, {@code Checksum.update}...) trust the
 * documented contract of the JDK type: an implementation that keeps the caller's buffer after the
 * call returns breaks that contract; such a class can be cut with {@code rebyte.distrust} only when it
 * appears as the owner of the call.
 *
 * <h2>The list</h2>
 * Each entry carries the one-line reason it is safe. {@link #EXCLUDED} lists the look-alikes that
 * keep the array, with why; they are never trusted by default.
 */
public final class NonRetainingMethods {
  /** How a call instruction relates to the list. */
  public enum Verdict { TRUSTED, DISTRUSTED, UNKNOWN }

  /** A built-in entry: pattern and why it is safe (or, in {@link #EXCLUDED}, why not). */
  public static final class Entry {
    private final MethodPattern pattern;
    private final String reason;

    Entry(MethodPattern pattern, String reason) {
      this.pattern = pattern;
      this.reason = reason;
    }

    public MethodPattern pattern() { return pattern; }

    public String reason() { return reason; }

    @Override
    public String toString() { return pattern + "  -- " + reason; }
  }

  private static final String READ = "fills the caller's buffer during the call, keeps no reference";
  private static final String WRITE = "copies or writes the bytes out during the call, keeps no reference";

  /** The built-in trusted entries. */
  public static final List<Entry> BUILT_IN;
  /** JDK classes whose {@code read([B)I}, {@code read([BII)I}, {@code readNBytes([BII)I} only fill the array. */
  static final List<String> INPUT_STREAMS = List.of("java/io/InputStream", "java/io/FileInputStream",
      "java/io/BufferedInputStream", "java/io/FilterInputStream", "java/io/DataInputStream",
      "java/io/PushbackInputStream", "java/io/SequenceInputStream", "java/io/ObjectInputStream",
      "java/io/ByteArrayInputStream", "java/util/zip/InflaterInputStream",
      "java/util/zip/GZIPInputStream", "java/util/zip/ZipInputStream",
      "java/util/zip/CheckedInputStream", "java/util/zip/DeflaterInputStream",
      "java/util/jar/JarInputStream", "java/io/RandomAccessFile");

  /** JDK types whose {@code readFully([B)V} and {@code readFully([BII)V} only fill the array. */
  static final List<String> FULLY_READERS = List.of("java/io/DataInputStream",
      "java/io/ObjectInputStream", "java/io/RandomAccessFile", "java/io/DataInput", "java/io/ObjectInput");

  /** JDK types whose {@code write([B)V} and {@code write([BII)V} copy or consume the bytes. */
  static final List<String> OUTPUT_STREAMS = List.of("java/io/OutputStream", "java/io/FileOutputStream",
      "java/io/BufferedOutputStream", "java/io/FilterOutputStream", "java/io/DataOutputStream",
      "java/io/PrintStream", "java/io/ObjectOutputStream", "java/io/ByteArrayOutputStream",
      "java/util/zip/DeflaterOutputStream", "java/util/zip/GZIPOutputStream",
      "java/util/zip/ZipOutputStream", "java/util/zip/CheckedOutputStream",
      "java/util/zip/InflaterOutputStream", "java/util/jar/JarOutputStream",
      "java/io/RandomAccessFile", "java/io/DataOutput", "java/io/ObjectOutput");

  /** Look-alikes that keep their array: never trusted by default (documentation and tests). */
  public static final List<Entry> EXCLUDED;

  static {
    List<Entry> t = new ArrayList<>();
    for (String owner : INPUT_STREAMS) {
      t.add(entry(owner, "read", "([B)I", READ));
      t.add(entry(owner, "read", "([BII)I", READ));
      t.add(entry(owner, "readNBytes", "([BII)I", READ));
    }
    for (String owner : FULLY_READERS) {
      t.add(entry(owner, "readFully", "([B)V", READ));
      t.add(entry(owner, "readFully", "([BII)V", READ));
    }
    t.add(entry("java/io/ObjectInput", "read", "([B)I", READ));
    t.add(entry("java/io/ObjectInput", "read", "([BII)I", READ));
    t.add(entry("java/io/PushbackInputStream", "unread", "([B)V", "copies into its own pushback buffer"));
    t.add(entry("java/io/PushbackInputStream", "unread", "([BII)V", "copies into its own pushback buffer"));
    for (String owner : OUTPUT_STREAMS) {
      t.add(entry(owner, "write", "([B)V", WRITE));
      t.add(entry(owner, "write", "([BII)V", WRITE));
    }
    t.add(entry("java/io/ByteArrayOutputStream", "writeBytes", "([B)V", "copies into its own buffer"));
    t.add(entry("java/io/PrintStream", "writeBytes", "([B)V", WRITE));
    t.add(entry("java/lang/System", "arraycopy", "(Ljava/lang/Object;ILjava/lang/Object;II)V",
        "copies elements between the arrays"));
    String arrays = "java/util/Arrays";
    String copies = "reads or writes the elements during the call; returns a new array or a value";
    for (String d : new String[] {"([BI)[B"}) {
      t.add(entry(arrays, "copyOf", d, copies));
    }
    t.add(entry(arrays, "copyOfRange", "([BII)[B", copies));
    t.add(entry(arrays, "fill", "([BB)V", copies));
    t.add(entry(arrays, "fill", "([BIIB)V", copies));
    t.add(entry(arrays, "equals", "([B[B)Z", copies));
    t.add(entry(arrays, "equals", "([BII[BII)Z", copies));
    t.add(entry(arrays, "hashCode", "([B)I", copies));
    t.add(entry(arrays, "toString", "([B)Ljava/lang/String;", copies));
    t.add(entry(arrays, "sort", "([B)V", copies));
    t.add(entry(arrays, "sort", "([BII)V", copies));
    t.add(entry(arrays, "binarySearch", "([BB)I", copies));
    t.add(entry(arrays, "binarySearch", "([BIIB)I", copies));
    for (String name : new String[] {"mismatch", "compare", "compareUnsigned"}) {
      t.add(entry(arrays, name, "([B[B)I", copies));
      t.add(entry(arrays, name, "([BII[BII)I", copies));
    }
    t.add(entry("java/lang/String", "<init>", null, "every String(byte[]...) constructor decodes into a new value"));
    t.add(entry("java/lang/String", "getBytes", "(II[BI)V", "copies chars into the destination"));
    t.add(entry("java/math/BigInteger", "<init>", "([B)V", "copies the magnitude"));
    t.add(entry("java/math/BigInteger", "<init>", "([BII)V", "copies the magnitude"));
    t.add(entry("java/math/BigInteger", "<init>", "(I[B)V", "copies the magnitude"));
    t.add(entry("java/util/UUID", "nameUUIDFromBytes", "([B)Ljava/util/UUID;", "hashes the bytes"));
    String digest = "java/security/MessageDigest";
    t.add(entry(digest, "update", "([B)V", "hashes the bytes during the call"));
    t.add(entry(digest, "update", "([BII)V", "hashes the bytes during the call"));
    t.add(entry(digest, "digest", "([B)[B", "hashes the bytes, returns a new array"));
    t.add(entry(digest, "digest", "([BII)I", "writes the digest into the caller's buffer"));
    t.add(entry(digest, "isEqual", "([B[B)Z", "compares the bytes"));
    for (String owner : new String[] {"java/util/zip/Checksum", "java/util/zip/CRC32",
        "java/util/zip/Adler32", "java/util/zip/CRC32C"}) {
      t.add(entry(owner, "update", "([B)V", "folds the bytes into the checksum during the call"));
      t.add(entry(owner, "update", "([BII)V", "folds the bytes into the checksum during the call"));
    }
    String buffer = "java/nio/ByteBuffer";
    String bufferCopy = "bulk get/put copies between the buffer and the array (wrap does not: excluded)";
    for (String d : new String[] {"([B)Ljava/nio/ByteBuffer;", "([BII)Ljava/nio/ByteBuffer;",
        "(I[B)Ljava/nio/ByteBuffer;", "(I[BII)Ljava/nio/ByteBuffer;"}) {
      t.add(entry(buffer, "get", d, bufferCopy));
      t.add(entry(buffer, "put", d, bufferCopy));
    }
    String inflater = "java/util/zip/Inflater";
    String deflater = "java/util/zip/Deflater";
    t.add(entry(inflater, "inflate", "([B)I", "writes output into the caller's buffer during the call"));
    t.add(entry(inflater, "inflate", "([BII)I", "writes output into the caller's buffer during the call"));
    t.add(entry(deflater, "deflate", "([B)I", "writes output into the caller's buffer during the call"));
    t.add(entry(deflater, "deflate", "([BII)I", "writes output into the caller's buffer during the call"));
    t.add(entry(deflater, "deflate", "([BIII)I", "writes output into the caller's buffer during the call"));
    String dictionary = "passed to zlib's inflate/deflateSetDictionary during the call, which copies it"
        + " into its window (JDK 11-25: no field keeps it, unlike setInput)";
    for (String owner : new String[] {inflater, deflater}) {
      t.add(entry(owner, "setDictionary", "([B)V", dictionary));
      t.add(entry(owner, "setDictionary", "([BII)V", dictionary));
    }
    String base64 = "encodes or decodes into a new array or the caller's destination";
    t.add(entry("java/util/Base64$Encoder", "encode", "([B)[B", base64));
    t.add(entry("java/util/Base64$Encoder", "encode", "([B[B)I", base64));
    t.add(entry("java/util/Base64$Encoder", "encodeToString", "([B)Ljava/lang/String;", base64));
    t.add(entry("java/util/Base64$Decoder", "decode", "([B)[B", base64));
    t.add(entry("java/util/Base64$Decoder", "decode", "([B[B)I", base64));
    String cipher = "CipherSpi implementations copy input into their own buffers and write output"
        + " during the call";
    for (String owner : new String[] {"javax/crypto/Cipher", "javax/crypto/Mac"}) {
      for (String name : new String[] {"update", "doFinal", "updateAAD"}) {
        t.add(entry(owner, name, null, cipher));
      }
    }
    BUILT_IN = Collections.unmodifiableList(t);

    List<Entry> x = new ArrayList<>();
    x.add(entry("java/nio/ByteBuffer", "wrap", null, "the buffer is backed by the array"));
    x.add(entry("java/io/ByteArrayInputStream", "<init>", null, "Javadoc: the buffer array is not copied"));
    x.add(entry("java/util/zip/Inflater", "setInput", null, "keeps the array until inflate consumes it"));
    x.add(entry("java/util/zip/Deflater", "setInput", null, "keeps the array until deflate consumes it"));
    x.add(entry("java/net/DatagramPacket", "<init>", null, "the packet's data buffer is the array"));
    x.add(entry("java/net/DatagramPacket", "setData", null, "the packet's data buffer is the array"));
    x.add(entry("java/util/zip/ZipEntry", "setExtra", null, "keeps the array as the extra field"));
    x.add(entry("java/io/ObjectOutputStream", "writeObject", null, "keeps a handle to every object written"));
    x.add(entry("java/util/Arrays", "asList", null, "the list is backed by its (varargs) array"));
    x.add(entry("java/lang/Object", "clone", null, "not retained, but not listed by default (array receiver)"));
    EXCLUDED = Collections.unmodifiableList(x);
  }

  private static final NonRetainingMethods DEFAULTS = new NonRetainingMethods(patterns(BUILT_IN), List.of());

  private final Map<String, List<MethodPattern>> trustedByName;
  private final Map<String, List<MethodPattern>> distrustedByName;

  private NonRetainingMethods(List<MethodPattern> trusted, List<MethodPattern> distrusted) {
    this.trustedByName = index(trusted);
    this.distrustedByName = index(distrusted);
  }

  /** The built-in list. */
  public static NonRetainingMethods defaults() {
    return DEFAULTS;
  }

  /** This list plus {@code trust}, minus everything {@code distrust} matches. */
  public NonRetainingMethods with(List<MethodPattern> trust, List<MethodPattern> distrust) {
    List<MethodPattern> t = new ArrayList<>();
    trustedByName.values().forEach(t::addAll);
    t.addAll(trust);
    List<MethodPattern> d = new ArrayList<>();
    distrustedByName.values().forEach(d::addAll);
    d.addAll(distrust);
    return new NonRetainingMethods(t, d);
  }

  /** How a call to {@code owner.name descriptor} (internal owner) is judged. */
  public Verdict verdict(String owner, String name, String descriptor) {
    if (anyMatch(distrustedByName, owner, name, descriptor)) {
      return Verdict.DISTRUSTED;
    }
    return anyMatch(trustedByName, owner, name, descriptor) ? Verdict.TRUSTED : Verdict.UNKNOWN;
  }

  private static boolean anyMatch(Map<String, List<MethodPattern>> byName, String owner, String name,
      String descriptor) {
    List<MethodPattern> list = byName.get(name);
    if (list != null) {
      for (MethodPattern p : list) {
        if (p.matches(owner, name, descriptor)) {
          return true;
        }
      }
    }
    return false;
  }

  private static Map<String, List<MethodPattern>> index(List<MethodPattern> patterns) {
    Map<String, List<MethodPattern>> map = new HashMap<>();
    for (MethodPattern p : patterns) {
      map.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(p);
    }
    return map;
  }

  private static List<MethodPattern> patterns(List<Entry> entries) {
    List<MethodPattern> out = new ArrayList<>();
    for (Entry e : entries) {
      out.add(e.pattern());
    }
    return out;
  }

  private static Entry entry(String owner, String name, String descriptor, String reason) {
    return new Entry(MethodPattern.of(owner, name, descriptor), reason);
  }
}
