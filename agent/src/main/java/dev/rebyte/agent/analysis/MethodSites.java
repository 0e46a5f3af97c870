package dev.rebyte.agent.analysis;

import dev.rebyte.agent.analysis.callee.Callees;
import dev.rebyte.agent.analysis.jdk.NonRetainingMethods;
import dev.rebyte.agent.decision.Allocator;
import dev.rebyte.agent.decision.AnalyzedSite;
import dev.rebyte.agent.decision.CapacityUse;
import dev.rebyte.agent.decision.Decision;
import dev.rebyte.agent.decision.Reason;
import dev.rebyte.agent.decision.SiteDecision;
import dev.rebyte.agent.decision.SiteLocation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The candidate sites of one method in instruction order (a site's id is its index), each with its
 * decision as the steps refine it, and the {@link AnalyzedSite}s they end as. One analysis, one thread.
 */
final class MethodSites {
  /*
   *  1. Candidates: every NEWARRAY T_BYTE; a constant length below minSize is SKIPPED at once.
   *  7. A call to an allocator is a candidate too (kind ALLOCATOR_RESULT): SiteInterpreter makes
   *     its result a site value. It is reported only when accepted (the report lists new byte[]
   *     sites; a call whose result escapes changes nothing in this method).
   */
  /** The NEWARRAY, or the call to an allocator, per site. */
  final List<AbstractInsnNode> candidates = new ArrayList<>();
  /** The allocator a call site invokes; null for a NEWARRAY. */
  final List<Allocator> allocators = new ArrayList<>();
  final List<SiteDecision> decisions = new ArrayList<>();
  /** Whether the method uses JSR/RET (the flow cannot follow it). */
  boolean hasJsr;

  private MethodSites() {}

  /** Steps 1 and 7: every candidate of {@code method}, POOLED unless its constant length is too small. */
  static MethodSites find(String internalClassName, MethodNode method, int[] lines, int minSize,
      NonRetainingMethods methods, Callees callees) {
    MethodSites sites = new MethodSites();
    String className = internalClassName.replace('/', '.');
    int index = 0;
    InsnList insns = method.instructions;
    for (AbstractInsnNode insn = insns.getFirst(); insn != null; insn = insn.getNext(), index++) {
      int op = insn.getOpcode();
      sites.hasJsr |= op == Opcodes.JSR || op == Opcodes.RET;
      if (op == Opcodes.NEWARRAY && ((IntInsnNode) insn).operand == Opcodes.T_BYTE) {
        int length = EscapeAnalyzer.constantLength(insn.getPrevious());
        boolean small = length >= 0 && length < minSize;
        sites.candidates.add(insn);
        sites.allocators.add(null);
        SiteLocation at = new SiteLocation(className, method.name, method.desc, lines[index], length);
        sites.decisions.add(small ? SiteDecision.skipped(at, Reason.BELOW_MIN_SIZE, "")
            : SiteDecision.pooled(at, Reason.NON_ESCAPING));
      } else if (insn instanceof MethodInsnNode && callees.enabled()) {
        MethodInsnNode call = (MethodInsnNode) insn;
        Allocator a = methods.verdict(call.owner, call.name, call.desc)
            == NonRetainingMethods.Verdict.UNKNOWN ? callees.allocator(call) : null;
        if (a != null) {
          sites.candidates.add(insn);
          sites.allocators.add(a);
          sites.decisions.add(SiteDecision.pooled(new SiteLocation(className, method.name, method.desc,
              lines[index], a.constantLength), Reason.ALLOCATOR_RESULT, a.key));
        }
      }
    }
    return sites;
  }

  int size() {
    return candidates.size();
  }

  /** Whether no site is left for the flow to decide. */
  boolean noneToDecide() {
    return candidates.isEmpty() || decisions.stream().allMatch(d -> d.decision() == Decision.SKIPPED);
  }

  /** Whether site {@code s} is still POOLED. */
  boolean pooled(int s) {
    return decisions.get(s).decision() == Decision.POOLED;
  }

  void reject(int s, Reason reason, String detail, int line) {
    decisions.set(s, SiteDecision.rejected(decisions.get(s).location(), reason, detail, line));
  }

  /** Every site still POOLED becomes SKIPPED for {@code reason}. */
  void skipAll(Reason reason, String detail) {
    for (int s = 0; s < decisions.size(); s++) {
      SiteDecision d = decisions.get(s);
      if (d.decision() == Decision.POOLED) {
        decisions.set(s, SiteDecision.skipped(d.location(), reason, detail));
      }
    }
  }

  /** The sites as decided before the flow ran: none is an allocator's, runs again or is rounded. */
  List<AnalyzedSite> result() {
    return result(allocators, new boolean[size()], new boolean[size()], null);
  }

  /**
   * Calls to allocators are listed only when accepted (they are not new byte[] sites).
   *
   * @param kinds the allocator per site: a call's, or this method's for its own allocator sites
   * @param uses the uses each rounded site bounds; null when no size mode was decided
   */
  List<AnalyzedSite> result(List<Allocator> kinds, boolean[] allocatorSite, boolean[] runsAgain,
      List<List<CapacityUse>> uses) {
    List<AnalyzedSite> out = new ArrayList<>(candidates.size());
    for (int s = 0; s < candidates.size(); s++) {
      AnalyzedSite.Kind kind = allocatorSite[s] ? AnalyzedSite.Kind.ALLOCATOR
          : candidates.get(s) instanceof MethodInsnNode ? AnalyzedSite.Kind.ALLOCATOR_RESULT
          : AnalyzedSite.Kind.NEWARRAY;
      if (kind == AnalyzedSite.Kind.ALLOCATOR_RESULT && decisions.get(s).decision() != Decision.POOLED) {
        continue;
      }
      out.add(new AnalyzedSite(kind, candidates.get(s), kinds.get(s), decisions.get(s),
          runsAgain[s], uses == null ? Collections.emptyList() : uses.get(s)));
    }
    return out;
  }
}
