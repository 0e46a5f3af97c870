package dev.rebyte.agent.analysis;

/**
 * Class files by internal name, read without loading anything (a resource, ByteBuddy's
 * {@code ClassFileLocator}). The callee summaries read their callees through this.
 */
@FunctionalInterface
public interface ClassFiles {
  /** Reads nothing and finds nothing: summaries are off. */
  ClassFiles NONE = name -> null;

  /** The bytes of {@code internalName}'s class file, or null when it cannot be found or read. */
  byte[] classFile(String internalName);
}
