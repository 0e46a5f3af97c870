package dev.rebyte.agent.analysis;

import dev.rebyte.agent.analysis.callee.Callees;
import dev.rebyte.agent.analysis.flow.SiteValue;
import dev.rebyte.agent.decision.Allocator;
import dev.rebyte.agent.decision.AnalyzedSite;
import dev.rebyte.agent.decision.Decision;
import dev.rebyte.agent.decision.Reason;
import dev.rebyte.agent.decision.SiteDecision;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * Steps 3 to 9 for the sites of one method that passed the guards: runs the flow, then refines each
 * POOLED decision in place (unreachable, escaping, via callees, allocator, live when it runs again,
 * size mode). Stateless.
 */
final class SiteDecider {
  private SiteDecider() {}

  /**
   * @throws AnalyzerException when ASM's analyzer cannot follow the method (the caller skips the
   *     sites still POOLED)
   */
  static List<AnalyzedSite> decide(EscapeAnalyzer analyzer, String owner, MethodNode method,
      int[] lines, MethodSites sites, Callees callees) throws AnalyzerException {
    InsnList insns = method.instructions;
    List<AbstractInsnNode> candidates = sites.candidates;
    List<Allocator> allocators = sites.allocators;
    List<SiteDecision> decisions = sites.decisions;
    Map<AbstractInsnNode, Integer> index = new IdentityHashMap<>();
    for (int s = 0; s < candidates.size(); s++) {
      if (sites.pooled(s)) {
        index.put(candidates.get(s), s);
      }
    }
    SiteEscapes flow = SiteEscapes.of(owner, method, index, Map.of(), candidates.size(),
        analyzer.methods(), callees);
    Frame<SiteValue>[] frames = flow.frames;
    for (int s : index.values()) {
      if (frames[insns.indexOf(candidates.get(s))] == null) {
        decisions.set(s, decisions.get(s).withOutcome(Decision.SKIPPED, Reason.UNREACHABLE));
      }
    }
    for (int s = 0; s < candidates.size(); s++) {
      SiteDecision d = decisions.get(s);
      if (d.decision() != Decision.POOLED) {
        continue;
      }
      if (flow.reason[s] != null) {
        sites.reject(s, flow.reason[s], flow.detail[s], lines[flow.at[s]]);
      } else if (!flow.via.get(s).isEmpty() && d.reason() == Reason.NON_ESCAPING) {
        decisions.set(s, d.withReason(Reason.NON_ESCAPING_VIA_CALLEES, String.join("; ", flow.via.get(s))));
      }
    }
    List<Allocator> kinds = new ArrayList<>(allocators);
    Allocator self = callees.enabled()
        ? AllocatorCheck.allocatorOf(owner, method, flow, 0, candidates, allocators, lines) : null;
    boolean[] allocatorSite = new boolean[candidates.size()];
    if (self != null) {
      for (int s : AllocatorCheck.returnedSites(method, flow)) {
        if (allocators.get(s) == null) { // our own NEWARRAY: acquired for the callers
          allocatorSite[s] = true;
          kinds.set(s, self);
          SiteDecision d = decisions.get(s);
          decisions.set(s, SiteDecision.pooled(d.location(), Reason.ALLOCATOR, self.key));
        }
      }
    }
    boolean[] runsAgain = RunAgainCheck.check(method, frames, lines, sites, allocatorSite);
    return sites.result(kinds, allocatorSite, runsAgain,
        SizeModes.decide(insns, frames, lines, sites, allocatorSite, analyzer.rounded()));
  }
}
