package dev.rebyte.agent.analysis;

import dev.rebyte.agent.analysis.flow.CapacityUses;
import dev.rebyte.agent.analysis.flow.SiteValue;
import dev.rebyte.agent.decision.CapacityUse;
import dev.rebyte.agent.decision.Decision;
import dev.rebyte.agent.decision.Rounding;
import dev.rebyte.agent.decision.SiteDecision;
import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.analysis.Frame;

/** Step 6: each site's size mode, exact or rounded, and the uses a rounded site must bound. Stateless. */
final class SizeModes {
  /*
   *  6. Size mode (CapacityUses), for each site still POOLED: constant length -> EXACT
   *     CONSTANT_LENGTH (exact mode hits them anyway; rounding would only add index checks);
   *     rounded mode off -> EXACT DISABLED; otherwise ROUNDED unless a use that can observe the
   *     capacity (ARRAYLENGTH, element access, a call argument) may see a value that is not
   *     certainly this site's array (MERGED_VALUE), or is a call with no BoundedForm
   *     (UNBOUNDED_CALL). The rewrite then bounds every listed use by the site's logical length n,
   *     kept in a synthetic local written when the site runs.
   *     Why one local per site is enough: a use of a value that is certainly site s's array sees
   *     the array of the LAST execution of s on that path -- if s runs again while an older array of
   *     s is still reachable from a live local or the stack, step 5 rejected s (the older array is
   *     dead where s runs again, so no later use can see it). The local n is written exactly when
   *     s's array is acquired (after acquireAtLeast returns), so n always belongs to the array in
   *     hand. A value from two sites could belong to either n: that is MERGED_VALUE, and exact.
   */
  private SizeModes() {}

  /**
   * Step 6: sets each pooled site's size mode; returns the uses to bound per rounded site.
   *
   * @param rounded whether variable-length sites may be rounded
   */
  static List<List<CapacityUse>> decide(InsnList insns, Frame<SiteValue>[] frames, int[] lines,
      MethodSites sites, boolean[] allocatorSite, boolean rounded) {
    List<SiteDecision> decisions = sites.decisions;
    IntInsnNode[] pooled = new IntInsnNode[sites.size()];
    for (int s = 0; s < pooled.length; s++) {
      if (sites.pooled(s) && sites.allocators.get(s) == null && !allocatorSite[s]) {
        pooled[s] = (IntInsnNode) sites.candidates.get(s);
      }
    }
    CapacityUses capacity = rounded ? CapacityUses.scan(insns, frames, pooled) : null;
    List<List<CapacityUse>> uses = new ArrayList<>();
    for (int s = 0; s < pooled.length; s++) {
      SiteDecision d = decisions.get(s);
      List<CapacityUse> mine = List.of();
      if (pooled[s] == null) {
        if (d.decision() == Decision.POOLED) { // allocator arrays: exact, counted under mode ALLOCATOR
          d = d.withRounding(Rounding.ALLOCATOR, "");
        } // else not pooled: NOT_POOLED, set by the constructor or withOutcome
      } else if (d.constantLength() >= 0) {
        d = d.withRounding(Rounding.CONSTANT_LENGTH, "");
      } else if (capacity == null) {
        d = d.withRounding(Rounding.DISABLED, "");
      } else if (capacity.exactReason(s) != null) {
        int at = capacity.reasonInstruction(s);
        d = d.withRounding(capacity.exactReason(s),
            capacity.detail(s) + (at < 0 || lines[at] < 0 ? "" : " @" + lines[at]));
      } else {
        mine = capacity.uses(s);
        d = d.withRounding(mine.isEmpty() ? Rounding.UNOBSERVED : Rounding.BOUNDED, count(mine));
      }
      decisions.set(s, d);
      uses.add(mine);
    }
    return uses;
  }

  private static String count(List<CapacityUse> uses) {
    int[] k = new int[CapacityUse.Kind.values().length];
    for (CapacityUse u : uses) {
      k[u.kind().ordinal()]++;
    }
    return uses.isEmpty() ? "" : k[0] + " length, " + k[1] + " load, " + k[2] + " store, " + k[3] + " call";
  }
}
