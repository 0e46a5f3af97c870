package dev.rebyte.agent.analysis;

import dev.rebyte.agent.analysis.flow.SiteValue;
import dev.rebyte.agent.decision.Allocator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Frame;

/** Step 9: whether a method is an allocator, and which of its sites it returns. Stateless. */
final class AllocatorCheck {
  /*
   *  9. Allocator (allocatorOf): the method returns byte[]; every reachable ARETURN returns a value
   *     that is certainly one of its tracked candidates (not foreign: no parameter, null, field,
   *     untracked call), and no candidate so returned has any escaping use other than ARETURN.
   *     Its NEWARRAYs so returned become kind ALLOCATOR: acquired under the allocator's id, never
   *     released here (taking from the pool instead of new is always safe). Exact: no rounding.
   */
  private AllocatorCheck() {}

  /**
   * Step 9: the method as an allocator, or null. Candidate site ids are offset by
   * {@code firstSite} (the parameters' sites come first in a summary).
   */
  static Allocator allocatorOf(String owner, MethodNode method, SiteEscapes flow,
      int firstSite, List<AbstractInsnNode> candidates, List<Allocator> allocators,
      int[] lines) {
    if (!method.desc.endsWith(")[B")) {
      return null;
    }
    boolean any = false;
    int line = Integer.MAX_VALUE;
    int length = -2;
    for (int i = 0; i < flow.frames.length; i++) {
      Frame<SiteValue> f = flow.frames[i];
      if (f == null || method.instructions.get(i).getOpcode() != Opcodes.ARETURN) {
        continue;
      }
      SiteValue v = f.getStack(f.getStackSize() - 1);
      if (v.isEmpty() || v.mayBeForeign()) {
        return null; // null, a parameter, a field, an untracked call, a small constant...
      }
      for (int s : v.sites()) {
        if (s < firstSite || flow.otherThanReturn[s]) {
          return null;
        }
        int c = s - firstSite;
        Allocator inner = allocators.get(c);
        int l = inner != null ? inner.constantLength
            : EscapeAnalyzer.constantLength(candidates.get(c).getPrevious());
        length = length == -2 || length == l ? l : -1;
        int at = lines[method.instructions.indexOf(candidates.get(c))];
        line = at >= 0 ? Math.min(line, at) : line;
        any = true;
      }
    }
    return any ? new Allocator(owner, method.name, method.desc,
        line == Integer.MAX_VALUE ? -1 : line, Math.max(-1, length)) : null;
  }

  /** Sites in the values of reachable ARETURNs. */
  static Set<Integer> returnedSites(MethodNode method, SiteEscapes flow) {
    Set<Integer> out = new TreeSet<>();
    for (int i = 0; i < flow.frames.length; i++) {
      if (flow.frames[i] != null && method.instructions.get(i).getOpcode() == Opcodes.ARETURN) {
        Frame<SiteValue> f = flow.frames[i];
        for (int s : f.getStack(f.getStackSize() - 1).sites()) {
          out.add(s);
        }
      }
    }
    return out;
  }
}
