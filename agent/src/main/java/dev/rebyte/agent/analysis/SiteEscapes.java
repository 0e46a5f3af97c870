package dev.rebyte.agent.analysis;

import dev.rebyte.agent.analysis.callee.Callees;
import dev.rebyte.agent.analysis.flow.EscapeUses;
import dev.rebyte.agent.analysis.flow.SiteInterpreter;
import dev.rebyte.agent.analysis.flow.SiteValue;
import dev.rebyte.agent.analysis.jdk.NonRetainingMethods;
import dev.rebyte.agent.decision.Reason;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * Steps 3-4 for the given sites: the fixpoint frames and, per site id, its first escaping use and
 * the calls it safely reached. Site ids are those of the index (in a summary, the parameters' sites
 * come first). Filled once by {@link #of}, read only afterwards.
 */
final class SiteEscapes implements EscapeUses.Sink {
  /*
   *  3. Forward data flow (ASM Analyzer + SiteInterpreter): each stack/local slot holds the set of
   *     candidate sites whose array it may be; merges are unions, so a site merged with a parameter
   *     or another site is still tracked and every use of the merged value is judged.
   *  4. EscapeUses walks the fixpoint frames and rejects a site at its first escaping use
   *     (instruction order), recording the reason, the callee or field, and the line.
   *  8. EscapeUses asks Callees about calls not on the trusted list: a bound callee's summary says
   *     per operand whether it escapes. A site that is safe only thanks to a summary is
   *     NON_ESCAPING_VIA_CALLEES, the chain in its detail.
   */
  final Frame<SiteValue>[] frames;
  /** The first escaping use per site: its reason (null when none), detail and instruction index. */
  final Reason[] reason;
  final String[] detail;
  final int[] at;
  /** Whether a site has an escaping use other than ARETURN (an allocator may have none). */
  final boolean[] otherThanReturn;
  /** Per site, at most 4 chains: the calls made safe by a summary, and all safe calls. */
  final List<Set<String>> via = new ArrayList<>();
  final List<Set<String>> calls = new ArrayList<>();

  private SiteEscapes(Frame<SiteValue>[] frames, int siteCount) {
    this.frames = frames;
    this.reason = new Reason[siteCount];
    this.detail = new String[siteCount];
    this.at = new int[siteCount];
    this.otherThanReturn = new boolean[siteCount];
    for (int s = 0; s < siteCount; s++) {
      via.add(new LinkedHashSet<>());
      calls.add(new LinkedHashSet<>());
    }
  }

  /**
   * @param index site id per candidate instruction
   * @param parameterSites site id per local slot of a tracked parameter
   * @param siteCount how many site ids there are (parameters and candidates)
   */
  static SiteEscapes of(String owner, MethodNode method, Map<AbstractInsnNode, Integer> index,
      Map<Integer, Integer> parameterSites, int siteCount, NonRetainingMethods methods,
      Callees callees) throws AnalyzerException {
    SiteEscapes flow = new SiteEscapes(
        new Analyzer<>(new SiteInterpreter(index, parameterSites)).analyze(owner, method), siteCount);
    new EscapeUses(methods, callees).scan(method.instructions, flow.frames, flow);
    return flow;
  }

  @Override
  public void escape(SiteValue value, Reason reason, String detail, int at) {
    for (int s : value.sites()) {
      if (this.reason[s] == null) {
        this.reason[s] = reason;
        this.detail[s] = detail;
        this.at[s] = at;
      }
      otherThanReturn[s] |= reason != Reason.RETURNED;
    }
  }

  @Override
  public void safe(SiteValue value, String chain, boolean summarised, int at) {
    for (int s : value.sites()) {
      if (summarised && via.get(s).size() < 4) {
        via.get(s).add(chain);
      }
      if (calls.get(s).size() < 4) {
        calls.get(s).add(chain);
      }
    }
  }
}
