package dev.rebyte.agent.select;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One compiled class selector from {@code rebyte.include} or {@code rebyte.exclude}.
 *
 * <table>
 *   <caption>Selector forms</caption>
 *   <tr><th>form</th><th>selects</th></tr>
 *   <tr><td>{@code com.acme.io}</td><td>the package and its sub-packages, or the class of that name
 *       and its nested classes</td></tr>
 *   <tr><td>{@code com.acme.*.codec}</td><td>{@code *} alone is exactly one segment</td></tr>
 *   <tr><td>{@code com.acme.**.Frame*}</td><td>{@code **} is any number of segments (also none),
 *       {@code *} inside a segment any characters of that segment</td></tr>
 *   <tr><td>{@code com.acme.io.Copier#copy}</td><td>one method (every overload) of the classes the
 *       part before {@code #} selects</td></tr>
 * </table>
 *
 * <p>A pattern selects a class when it matches the leading segments of the class name (so a package
 * pattern covers sub-packages) and a segment may stand for a class with its nested classes
 * ({@code Copier} matches {@code Copier$Buffer}).
 */
final class Selector {
  /* Matching cost: every selector keeps the literal text before its first wildcard. Classes that do
   * not start with it are turned away with one startsWith; the segment walk below only runs for the
   * few classes that share that prefix. */
  private final String text;
  private final String literalPrefix;
  private final String[] segments;
  private final boolean wildcard;
  private final String method;

  private Selector(String text, String[] segments, String method) {
    this.text = text;
    this.segments = segments;
    this.method = method;
    int firstWild = segments.length;
    for (int i = 0; i < segments.length; i++) {
      if (segments[i].indexOf('*') >= 0) {
        firstWild = i;
        break;
      }
    }
    this.wildcard = firstWild < segments.length;
    StringBuilder prefix = new StringBuilder();
    for (int i = 0; i < firstWild; i++) {
      prefix.append(segments[i]).append('.');
    }
    if (wildcard) {
      String partial = segments[firstWild];
      prefix.append(partial, 0, partial.indexOf('*'));
      this.literalPrefix = prefix.toString();
    } else {
      this.literalPrefix = prefix.substring(0, prefix.length() - 1);
    }
  }

  /**
   * Parses a comma-separated list of selectors; blanks around entries are ignored.
   *
   * @throws IllegalArgumentException naming the malformed entry and what is wrong with it
   */
  static List<Selector> parseList(String value) {
    if (value == null || value.trim().isEmpty()) {
      return Collections.emptyList();
    }
    List<Selector> out = new ArrayList<>();
    for (String entry : value.split(",", -1)) {
      out.add(parse(entry.trim()));
    }
    return Collections.unmodifiableList(out);
  }

  static Selector parse(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("empty selector (stray comma?)");
    }
    String classPart = text;
    String method = null;
    int hash = text.indexOf('#');
    if (hash >= 0) {
      classPart = text.substring(0, hash);
      method = text.substring(hash + 1);
      checkMethodName(text, method);
    }
    if (classPart.isEmpty()) {
      throw bad(text, "no class before '#'");
    }
    String[] segments = classPart.split("\\.", -1);
    for (String segment : segments) {
      checkSegment(text, segment);
    }
    return new Selector(text, segments, method);
  }

  private static void checkSegment(String text, String segment) {
    if (segment.isEmpty()) {
      throw bad(text, "empty segment (leading, trailing or double '.')");
    }
    if (segment.contains("**") && !segment.equals("**")) {
      throw bad(text, "'**' must be a whole segment");
    }
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c != '*' && !Character.isJavaIdentifierPart(c)) {
        throw bad(text, "character '" + c + "' cannot appear in a class name");
      }
    }
  }

  private static void checkMethodName(String text, String method) {
    if (method.equals("<init>") || method.equals("<clinit>")) {
      return;
    }
    if (method.isEmpty()) {
      throw bad(text, "no method name after '#'");
    }
    if (!Character.isJavaIdentifierStart(method.charAt(0))) {
      throw bad(text, "'" + method + "' is not a method name");
    }
    for (int i = 1; i < method.length(); i++) {
      if (!Character.isJavaIdentifierPart(method.charAt(i))) {
        throw bad(text, "'" + method + "' is not a method name (no descriptor or wildcard here)");
      }
    }
  }

  private static IllegalArgumentException bad(String text, String why) {
    return new IllegalArgumentException("malformed selector '" + text + "': " + why);
  }

  /** The method this selector is limited to, or {@code null} when it selects whole classes. */
  String method() {
    return method;
  }

  /** Whether the class part matches a binary class name in dotted form. */
  boolean matchesClass(String className) {
    if (!className.startsWith(literalPrefix)) {
      return false;
    }
    if (!wildcard) {
      int n = literalPrefix.length();
      return className.length() == n || className.charAt(n) == '.' || className.charAt(n) == '$';
    }
    return matchSegments(0, className.split("\\."), 0);
  }

  private boolean matchSegments(int p, String[] names, int n) {
    if (p == segments.length) {
      return true; // the rest are sub-packages or the class itself
    }
    if (segments[p].equals("**")) {
      for (int skip = n; skip <= names.length; skip++) {
        if (matchSegments(p + 1, names, skip)) {
          return true;
        }
      }
      return false;
    }
    return n < names.length && segmentMatches(segments[p], names[n])
        && matchSegments(p + 1, names, n + 1);
  }

  private static boolean segmentMatches(String pattern, String name) {
    if (glob(pattern, 0, name, 0)) {
      return true;
    }
    int dollar = name.indexOf('$');
    return dollar > 0 && glob(pattern, 0, name.substring(0, dollar), 0);
  }

  private static boolean glob(String pattern, int p, String name, int n) {
    while (p < pattern.length()) {
      char c = pattern.charAt(p);
      if (c == '*') {
        for (int k = n; k <= name.length(); k++) {
          if (glob(pattern, p + 1, name, k)) {
            return true;
          }
        }
        return false;
      }
      if (n >= name.length() || name.charAt(n) != c) {
        return false;
      }
      p++;
      n++;
    }
    return n == name.length();
  }

  @Override
  public String toString() {
    return text;
  }
}
