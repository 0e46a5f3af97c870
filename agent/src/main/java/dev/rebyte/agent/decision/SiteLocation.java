package dev.rebyte.agent.decision;

import java.util.Objects;

/**
 * Where a {@code new byte[n]} site is: its class, method and line, and its length when that is a
 * compile-time constant. Immutable; what was decided about the site is a {@link SiteDecision}.
 */
public final class SiteLocation {
  private final String className;
  private final String methodName;
  private final String methodDescriptor;
  private final int line;
  private final int constantLength;

  /**
   * @param className dotted class name, e.g. {@code com.acme.io.Copier}
   * @param line source line of the allocation, -1 if unknown
   * @param constantLength the length when it is a constant, else -1
   */
  public SiteLocation(String className, String methodName, String methodDescriptor, int line,
      int constantLength) {
    this.className = Objects.requireNonNull(className, "className");
    this.methodName = Objects.requireNonNull(methodName, "methodName");
    this.methodDescriptor = Objects.requireNonNull(methodDescriptor, "methodDescriptor");
    this.line = line;
    this.constantLength = constantLength;
  }

  /** Dotted class name, e.g. {@code com.acme.io.Copier}. */
  public String className() { return className; }

  public String methodName() { return methodName; }

  public String methodDescriptor() { return methodDescriptor; }

  /** Source line of the allocation, -1 if unknown. */
  public int line() { return line; }

  /** The length when it is a compile-time constant, else -1. */
  public int constantLength() { return constantLength; }

  /** The same place with another constant length (an owned field counts its largest). */
  public SiteLocation withConstantLength(int length) {
    return new SiteLocation(className, methodName, methodDescriptor, line, length);
  }

  @Override
  public String toString() {
    return className + "." + methodName + methodDescriptor + ":" + line;
  }
}
