package dev.rebyte.agent.select;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Decides which classes and methods the agent analyses: the façade of this package.
 *
 * <p>A class is selected when an include selector matches it (a method selector such as
 * {@code com.acme.io.Copier#copy} selects its class for that method only), no class-level exclude
 * matches it, and it is not on the {@link AlwaysExcluded} list. Excludes win over includes; a method
 * exclude removes just that method. Instances are immutable and thread-safe.
 */
public final class ClassSelector {
  private final List<Selector> includeClasses = new ArrayList<>();
  private final List<Selector> includeMethods = new ArrayList<>();
  private final List<Selector> excludeClasses = new ArrayList<>();
  private final List<Selector> excludeMethods = new ArrayList<>();
  private final String includeText;
  private final String excludeText;

  private ClassSelector(List<Selector> include, List<Selector> exclude) {
    for (Selector s : include) {
      (s.method() == null ? includeClasses : includeMethods).add(s);
    }
    for (Selector s : exclude) {
      (s.method() == null ? excludeClasses : excludeMethods).add(s);
    }
    this.includeText = join(include);
    this.excludeText = join(exclude);
  }

  /**
   * Checks a comma-separated selector list without building a selector.
   *
   * @throws IllegalArgumentException with a one-line message naming the malformed entry
   */
  public static void validate(String selectors) {
    Selector.parseList(selectors);
  }

  /**
   * Compiles include and exclude lists (comma-separated; {@code null} or blank means none).
   *
   * @throws IllegalArgumentException with a one-line message naming the malformed entry
   */
  public static ClassSelector compile(String include, String exclude) {
    return new ClassSelector(Selector.parseList(include), Selector.parseList(exclude));
  }

  /** Selects nothing. */
  public static ClassSelector none() {
    return new ClassSelector(Collections.emptyList(), Collections.emptyList());
  }

  /** Whether no include selector is given. */
  public boolean isEmpty() {
    return includeClasses.isEmpty() && includeMethods.isEmpty();
  }

  /**
   * Whether some of the class's methods may be analysed.
   *
   * @param className binary name in dotted form ({@code com.acme.io.Copier$1})
   */
  public boolean selectsClass(String className) {
    if (!anyMatch(includeClasses, className) && !anyMatch(includeMethods, className)) {
      return false; // the common case: one startsWith per include selector
    }
    return AlwaysExcluded.reason(className) == null && !anyMatch(excludeClasses, className);
  }

  /**
   * Whether a method of a selected class may be analysed.
   *
   * @param className binary name, dotted ({@code com.acme.X}) or internal ({@code com/acme/X})
   */
  public boolean selectsMethod(String className, String methodName) {
    String dotted = className.replace('/', '.');
    if (!selectsClass(dotted)) {
      return false;
    }
    boolean included = anyMatch(includeClasses, dotted) || anyMethodMatch(includeMethods, dotted, methodName);
    return included && !anyMethodMatch(excludeMethods, dotted, methodName);
  }

  /** Why a class is never transformed whatever the selectors say, or {@code null}. */
  public static String alwaysExcludedReason(String className) {
    return AlwaysExcluded.reason(className);
  }

  private static boolean anyMatch(List<Selector> selectors, String className) {
    for (int i = 0; i < selectors.size(); i++) {
      if (selectors.get(i).matchesClass(className)) {
        return true;
      }
    }
    return false;
  }

  private static boolean anyMethodMatch(List<Selector> selectors, String className, String method) {
    for (int i = 0; i < selectors.size(); i++) {
      Selector s = selectors.get(i);
      if (s.method().equals(method) && s.matchesClass(className)) {
        return true;
      }
    }
    return false;
  }

  private static String join(List<Selector> selectors) {
    StringBuilder b = new StringBuilder();
    for (Selector s : selectors) {
      b.append(b.length() == 0 ? "" : ",").append(s);
    }
    return b.toString();
  }

  @Override
  public String toString() {
    return "include=" + (includeText.isEmpty() ? "-" : includeText)
        + " exclude=" + (excludeText.isEmpty() ? "-" : excludeText);
  }
}
