package dev.rebyte.agent.select;

/**
 * Which methods are analysed and rewritten. Methods it rejects are left alone and their sites are
 * not reported.
 */
@FunctionalInterface
public interface MethodFilter {
  /** Every method. */
  MethodFilter ALL = (c, m) -> true;

  /**
   * @param internalClassName e.g. {@code com/acme/io/Copier}
   * @param methodName e.g. {@code copy}, {@code <init>}, {@code lambda$run$0}
   */
  boolean test(String internalClassName, String methodName);
}
