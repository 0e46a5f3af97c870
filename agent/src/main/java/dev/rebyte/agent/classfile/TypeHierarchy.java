package dev.rebyte.agent.classfile;

/**
 * Super classes and interface flags, read without loading any class: the stack map frames of a
 * rewritten class are computed from this (see {@code HierarchyClassWriter}). It is also the
 * {@link ClassFiles} the analysis reads callees and supertypes through, so one object serves both.
 */
public interface TypeHierarchy extends ClassFiles {
  /** The internal name of the super class ({@code null} for {@code java/lang/Object}), or null if unknown. */
  String superName(String internalName);

  /** Whether the type is an interface; false when unknown. */
  boolean isInterface(String internalName);

  /** Whether the type's class file could be found. */
  default boolean isKnown(String internalName) {
    return "java/lang/Object".equals(internalName) || superName(internalName) != null;
  }

  /**
   * The bytes of the type's class file, read without loading it, or null when unknown (callee
   * summaries then treat its methods as not analysable). The default finds nothing.
   */
  @Override
  default byte[] classFile(String internalName) {
    return null;
  }

  /**
   * What callee summaries computed through this hierarchy are valid for: the defining class loader
   * when there is one (held weakly by the cache), this instance by default.
   */
  default Object summaryScope() {
    return this;
  }

  /**
   * Reads {@code a/b/C.class} through {@code loader.getResource} (the system class loader as a
   * fallback, which also finds the JDK's classes; a null loader means the system class loader only)
   * and parses only the class header. Results, including "unknown", are cached per returned instance;
   * safe for concurrent use.
   */
  static TypeHierarchy fromResources(ClassLoader loader) {
    return new ResourceTypeHierarchy(loader);
  }
}
