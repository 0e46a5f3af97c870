package dev.rebyte.agent.select;

import java.util.Objects;
import org.objectweb.asm.Type;

/**
 * One {@code rebyte.trust} / {@code rebyte.distrust} entry: {@code com.acme.Codec#decode([BII)I}
 * (dotted class, {@code #}, method name, optional descriptor; without a descriptor every overload
 * matches). Nested classes use {@code $}: {@code java.util.Base64$Decoder#decode([B[B)I}.
 *
 * <p>A pattern matches a call instruction by the owner written in the instruction, never by the
 * class that will run: see {@link NonRetainingMethods}.
 */
public final class MethodPattern {
  private final String owner;
  private final String name;
  private final String descriptor;

  private MethodPattern(String owner, String name, String descriptor) {
    this.owner = owner;
    this.name = name;
    this.descriptor = descriptor;
  }

  /**
   * Parses one entry.
   *
   * @throws IllegalArgumentException with a message naming the entry and what is wrong
   */
  public static MethodPattern parse(String entry) {
    Objects.requireNonNull(entry, "entry");
    String text = entry.trim();
    int hash = text.indexOf('#');
    if (hash <= 0 || hash == text.length() - 1) {
      throw malformed(entry, "expected class#method or class#method(descriptor)");
    }
    String className = text.substring(0, hash);
    if (className.indexOf('/') >= 0 || !isQualifiedName(className)) {
      throw malformed(entry, "'" + className + "' is not a dotted class name");
    }
    String rest = text.substring(hash + 1);
    int paren = rest.indexOf('(');
    String name = paren < 0 ? rest : rest.substring(0, paren);
    String descriptor = paren < 0 ? null : rest.substring(paren);
    if (!isIdentifier(name) && !name.equals("<init>")) {
      throw malformed(entry, "'" + name + "' is not a method name");
    }
    if (descriptor != null) {
      try {
        Type.getArgumentTypes(descriptor);
        Type.getReturnType(descriptor);
      } catch (RuntimeException e) {
        throw malformed(entry, "'" + descriptor + "' is not a method descriptor");
      }
      if (!descriptor.matches("\\((\\[*([BCDFIJSZ]|L[^;()\\[]+;))*\\)(V|\\[*([BCDFIJSZ]|L[^;()\\[]+;))")) {
        throw malformed(entry, "'" + descriptor + "' is not a method descriptor");
      }
    }
    return new MethodPattern(className.replace('.', '/'), name, descriptor);
  }

  /** A pattern from internal names, for the built-in list. */
  public static MethodPattern of(String internalOwner, String name, String descriptor) {
    return new MethodPattern(internalOwner, name, descriptor);
  }

  /** Whether a call instruction with this owner (internal name), name and descriptor matches. */
  public boolean matches(String internalOwner, String methodName, String methodDescriptor) {
    return owner.equals(internalOwner) && name.equals(methodName)
        && (descriptor == null || descriptor.equals(methodDescriptor));
  }

  /** Internal name of the owner, e.g. {@code com/acme/Codec}. */
  public String owner() { return owner; }

  public String name() { return name; }

  /** The descriptor, or null for every overload. */
  public String descriptor() { return descriptor; }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof MethodPattern)) {
      return false;
    }
    MethodPattern p = (MethodPattern) o;
    return owner.equals(p.owner) && name.equals(p.name) && Objects.equals(descriptor, p.descriptor);
  }

  @Override
  public int hashCode() {
    return Objects.hash(owner, name, descriptor);
  }

  @Override
  public String toString() {
    return owner.replace('/', '.') + "#" + name + (descriptor == null ? "" : descriptor);
  }

  /** Whether {@code s} is a dotted Java name, {@code com.acme.Codec$Inner}. */
  public static boolean isQualifiedName(String s) {
    for (String part : s.split("\\.", -1)) {
      if (!isIdentifier(part)) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code s} is a Java identifier. */
  public static boolean isIdentifier(String s) {
    if (s.isEmpty() || !Character.isJavaIdentifierStart(s.charAt(0))) {
      return false;
    }
    for (int i = 1; i < s.length(); i++) {
      if (!Character.isJavaIdentifierPart(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static IllegalArgumentException malformed(String entry, String why) {
    return new IllegalArgumentException(
        "malformed method entry '" + entry + "': " + why + " (e.g. com.acme.Codec#decode([BII)I)");
  }
}
