package dev.rebyte.agent.analysis.owner;

import dev.rebyte.agent.decision.Reason;
import dev.rebyte.agent.decision.SiteLocation;
import java.util.LinkedHashSet;
import java.util.Set;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldNode;

/**
 * Per-field facts gathered while scanning one candidate {@code byte[]} field of an
 * {@link OwnerAnalysis}: its first reason to reject it (null while it qualifies), the
 * {@code new byte[n]} sites stored into it and the largest of their constant lengths. Mutable, for one
 * analysis of one class.
 */
final class FieldState {
  final FieldNode node;
  Reason reason;
  String why;
  final Set<AbstractInsnNode> sites = new LinkedHashSet<>();
  int bytes = 0;
  SiteLocation first;
  boolean replacedLater;

  FieldState(FieldNode node) {
    this.node = node;
  }

  /** Rejects the field for {@code r}, unless an earlier check rejected it already (that one stays). */
  void reject(Reason r, String w) {
    if (reason == null) {
      reason = r;
      why = w;
    }
  }
}
