package dev.rebyte.agent.analysis.callee;

import org.objectweb.asm.tree.MethodNode;

/**
 * Summarises one callee's method: what the escape analysis computes when a call is followed into
 * its class file. {@link Callees} asks it for every bound callee it has not summarised yet; the
 * analysis façade provides it, so this package needs nothing above it.
 */
@FunctionalInterface
public interface CalleeAnalyzer {
  /**
   * @param owner internal name of the class declaring {@code method}
   * @param callees the same instance, for the callee's own calls (depth and budget are counted there)
   */
  MethodSummary summarize(String owner, MethodNode method, Callees callees);
}
