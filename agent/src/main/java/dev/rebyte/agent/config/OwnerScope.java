package dev.rebyte.agent.config;

import dev.rebyte.agent.select.ClassSelector;

/**
 * {@code rebyte.owners}: the classes whose owner-scoped buffers (array fields released when their
 * owner closes) are pooled: {@link #NONE} ({@code false}, the default), {@link #ALL} ({@code true},
 * every selected class) or the classes a selector list names. Immutable.
 */
public final class OwnerScope {
  /** {@code owners=false}: found and reported, pooled nowhere. */
  public static final OwnerScope NONE = new OwnerScope("false", null);
  /** {@code owners=true}: every selected class. */
  public static final OwnerScope ALL = new OwnerScope("true", null);

  private final String text;
  private final ClassSelector selector;

  private OwnerScope(String text, ClassSelector selector) {
    this.text = text;
    this.selector = selector;
  }

  /** The classes a validated selector list names ({@code com.acme.io,com.acme.zip.*}). */
  static OwnerScope of(String selectors) {
    return new OwnerScope(selectors, ClassSelector.compile(selectors, ""));
  }

  /**
   * Whether owner-scoped buffers are pooled in this class.
   *
   * @param className dotted or internal binary name
   */
  public boolean includes(String className) {
    return this == ALL || (selector != null && selector.selectsClass(className.replace('/', '.')));
  }

  /** As the user wrote it: {@code false}, {@code true} or the selector list. */
  @Override
  public String toString() {
    return text;
  }
}
