package dev.rebyte.agent.analysis.owner;

import dev.rebyte.agent.decision.OwnedField;
import dev.rebyte.agent.decision.Reason;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;

/**
 * The last step of an {@link OwnerAnalysis}: each field's verdict, as the {@link OwnerAnalysis.Result}
 * that the sites' revision and the rewrite read. A field some {@code new byte[n]} worth pooling is
 * stored into gets its first reason to reject it, else OWNED_BY_INSTANCE, or OWNERS_DISABLED when
 * rebyte.owners does not select the class; the others are not candidates and are left out. Static only.
 */
final class Verdicts {
  private Verdicts() {}

  /**
   * @param enabled whether rebyte.owners selects the class
   * @param releaseMethods the class's release methods, {@code name+descriptor}
   * @param codecs the class's codec fields, their inputs known
   */
  static OwnerAnalysis.Result of(ClassNode c, Collection<FieldState> fields, boolean enabled,
      List<String> releaseMethods, CodecFields codecs) {
    List<OwnedField> out = new ArrayList<>();
    Map<AbstractInsnNode, OwnedField> bySite = new IdentityHashMap<>();
    List<FieldState> pooled = new ArrayList<>();
    for (FieldState f : fields) {
      if (f.sites.isEmpty() || f.first == null) {
        continue; // never given a fresh array of a size worth pooling: not a candidate
      }
      Reason verdict = f.reason != null ? f.reason
          : enabled ? Reason.OWNED_BY_INSTANCE : Reason.OWNERS_DISABLED;
      OwnedField owned = new OwnedField(c.name, f.node.name, verdict, f.why, releaseMethods, f.bytes,
          f.first, codecs.endsOf(f));
      out.add(owned);
      if (owned.pooled()) {
        pooled.add(f);
      }
      for (AbstractInsnNode site : f.sites) {
        bySite.put(site, owned);
      }
    }
    return out.isEmpty() ? OwnerAnalysis.Result.NONE
        : new OwnerAnalysis.Result(out, bySite, releaseMethods, codecs.toEnd(pooled));
  }
}
