package dev.rebyte.agent.analysis;

import dev.rebyte.agent.decision.Allocator;
import dev.rebyte.agent.analysis.callee.Callees;
import dev.rebyte.agent.analysis.callee.MethodSummary;
import dev.rebyte.agent.analysis.flow.CapacityUses;
import dev.rebyte.agent.analysis.flow.ControlFlow;
import dev.rebyte.agent.analysis.flow.EscapeUses;
import dev.rebyte.agent.analysis.flow.LocalLiveness;
import dev.rebyte.agent.analysis.flow.SiteInterpreter;
import dev.rebyte.agent.analysis.flow.SiteValue;
import dev.rebyte.agent.analysis.jdk.NonRetainingMethods;
import dev.rebyte.agent.decision.AnalyzedSite;
import dev.rebyte.agent.decision.CapacityUse;
import dev.rebyte.agent.decision.Decision;
import dev.rebyte.agent.decision.Reason;
import dev.rebyte.agent.decision.Rounding;
import dev.rebyte.agent.decision.SiteDecision;
import dev.rebyte.agent.decision.SiteLocation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * Decides, for every {@code new byte[n]} of one method, whether it can borrow from the pool. Emits
 * nothing. Thread-safe (no state beyond its immutable settings).
 */
public final class EscapeAnalyzer {
  /*
   * Mechanism, per method:
   *  1. Candidates: every NEWARRAY T_BYTE; a constant length below minSize is SKIPPED at once.
   *  2. Guards: JSR/RET -> SKIPPED JSR_RET; instructions > maxInstructions or
   *     instructions * maxLocals^2 > maxCost -> SKIPPED METHOD_OVER_BUDGET. Nothing can hang.
   *  3. Forward data flow (ASM Analyzer + SiteInterpreter): each stack/local slot holds the set of
   *     candidate sites whose array it may be; merges are unions, so a site merged with a parameter
   *     or another site is still tracked and every use of the merged value is judged.
   *  4. EscapeUses walks the fixpoint frames and rejects a site at its first escaping use
   *     (instruction order), recording the reason, the callee or field, and the line.
   *  5. Loops: if the site lies on a cycle of the control-flow graph, the frame before it says
   *     where the previous iteration's array may still be. It must not be on the stack, and every
   *     local that may hold it must be dead there (LocalLiveness) -- javac reuses the slot of
   *     `byte[] b = new byte[n]` inside a loop, so the slot holds the old array but is about to be
   *     overwritten. Otherwise REJECTED LIVE_WHEN_SITE_RUNS_AGAIN. Accepted sites on a cycle are
   *     flagged runsAgain: the rewrite releases the previous array right before the new acquire.
   *  Release at normal returns needs no proof beyond step 4: nothing outside the frame holds the
   *  array, and the frame is going away.
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
   *  Beyond one method (with a Callees, see Callees for binding, recursion and budgets):
   *  7. A call to an allocator is a candidate too (kind ALLOCATOR_RESULT): SiteInterpreter makes
   *     its result a site value. It is reported only when accepted (the report lists new byte[]
   *     sites; a call whose result escapes changes nothing in this method).
   *  8. EscapeUses asks Callees about calls not on the trusted list: a bound callee's summary says
   *     per operand whether it escapes. A site that is safe only thanks to a summary is
   *     NON_ESCAPING_VIA_CALLEES, the chain in its detail.
   *  9. Allocator (allocatorOf): the method returns byte[]; every reachable ARETURN returns a value
   *     that is certainly one of its tracked candidates (not foreign: no parameter, null, field,
   *     untracked call), and no candidate so returned has any escaping use other than ARETURN.
   *     Its NEWARRAYs so returned become kind ALLOCATOR: acquired under the allocator's id, never
   *     released here (taking from the pool instead of new is always safe). Exact: no rounding.
   *  Summaries (summarize) run steps 1-4 and 9 on the callee with each parameter that may be a
   *  byte[] as one more site (SiteInterpreter.newParameterValue).
   */
  private final NonRetainingMethods methods;
  private final int minSize;
  private final long maxCost;
  private final int maxInstructions;
  private final boolean rounded;

  /** An analyzer with rounded mode on. */
  public EscapeAnalyzer(NonRetainingMethods methods, int minSize, long maxCost, int maxInstructions) {
    this(methods, minSize, maxCost, maxInstructions, true);
  }

  /** @param rounded whether variable-length sites may be rounded (step 6) */
  public EscapeAnalyzer(NonRetainingMethods methods, int minSize, long maxCost, int maxInstructions,
      boolean rounded) {
    this.methods = methods;
    this.minSize = minSize;
    this.maxCost = maxCost;
    this.maxInstructions = maxInstructions;
    this.rounded = rounded;
  }

  public NonRetainingMethods methods() {
    return methods;
  }

  public int minSize() {
    return minSize;
  }

  /** Whether the method is past the budgets (instructions, instructions x maxLocals^2). */
  public boolean overBudget(MethodNode method) {
    int n = method.instructions.size();
    return n > maxInstructions || (long) n * method.maxLocals * method.maxLocals > maxCost;
  }

  /**
   * @param internalClassName the owner of the method, e.g. {@code com/acme/Copier}
   * @return the method's sites in instruction order; empty when it has none
   */
  public List<AnalyzedSite> analyze(String internalClassName, MethodNode method) {
    return analyze(internalClassName, method, Callees.NONE);
  }

  /**
   * @param callees what the class's callees are known to do ({@link CalleeSummaries#forClass})
   * @return the method's sites in instruction order; empty when it has none
   */
  public List<AnalyzedSite> analyze(String internalClassName, MethodNode method, Callees callees) {
    if (callees.enabled()) {
      callees.bind(this::summarize, methods);
    }
    InsnList insns = method.instructions;
    if (insns.size() == 0) {
      return List.of();
    }
    String className = internalClassName.replace('/', '.');
    int[] lines = lines(insns);
    List<AbstractInsnNode> candidates = new ArrayList<>();
    List<SiteDecision> decisions = new ArrayList<>();
    List<Allocator> allocators = new ArrayList<>();
    boolean hasJsr = false;
    int index = 0;
    for (AbstractInsnNode insn = insns.getFirst(); insn != null; insn = insn.getNext(), index++) {
      int op = insn.getOpcode();
      hasJsr |= op == Opcodes.JSR || op == Opcodes.RET;
      if (op == Opcodes.NEWARRAY && ((IntInsnNode) insn).operand == Opcodes.T_BYTE) {
        int length = constantLength(insn.getPrevious());
        boolean small = length >= 0 && length < minSize;
        candidates.add(insn);
        allocators.add(null);
        SiteLocation at = new SiteLocation(className, method.name, method.desc, lines[index], length);
        decisions.add(small ? SiteDecision.skipped(at, Reason.BELOW_MIN_SIZE, "")
            : SiteDecision.pooled(at, Reason.NON_ESCAPING));
      } else if (insn instanceof MethodInsnNode && callees.enabled()) {
        MethodInsnNode call = (MethodInsnNode) insn;
        Allocator a = methods.verdict(call.owner, call.name, call.desc)
            == NonRetainingMethods.Verdict.UNKNOWN ? callees.allocator(call) : null;
        if (a != null) {
          candidates.add(insn);
          allocators.add(a);
          decisions.add(SiteDecision.pooled(new SiteLocation(className, method.name, method.desc,
              lines[index], a.constantLength), Reason.ALLOCATOR_RESULT, a.key));
        }
      }
    }
    if (candidates.isEmpty() || decisions.stream().allMatch(d -> d.decision() == Decision.SKIPPED)) {
      return result(candidates, allocators, decisions, new boolean[candidates.size()], null);
    }
    long cost = (long) insns.size() * method.maxLocals * method.maxLocals;
    if (hasJsr) {
      skipAll(decisions, Reason.JSR_RET, "");
    } else if (insns.size() > maxInstructions || cost > maxCost) {
      skipAll(decisions, Reason.METHOD_OVER_BUDGET,
          insns.size() + " instructions, " + method.maxLocals + " locals");
    } else {
      try {
        return decide(internalClassName, method, lines, candidates, allocators, decisions, callees);
      } catch (AnalyzerException | RuntimeException e) {
        skipAll(decisions, Reason.ANALYSIS_FAILED, String.valueOf(e.getMessage()));
      }
    }
    return result(candidates, allocators, decisions, new boolean[candidates.size()], null);
  }

  /** Steps 3-4 for the given sites (ids: their index in {@code sites}, after {@code firstSite} parameters). */
  private static final class Flow {
    Frame<SiteValue>[] frames;
    Reason[] reason;
    String[] detail;
    int[] at;
    boolean[] otherThanReturn;
    List<Set<String>> via = new ArrayList<>();
    List<Set<String>> calls = new ArrayList<>();
  }

  private Flow flow(String owner, MethodNode method, Map<AbstractInsnNode, Integer> index,
      Map<Integer, Integer> parameterSites, int siteCount, Callees callees) throws AnalyzerException {
    Flow flow = new Flow();
    flow.frames = new Analyzer<>(new SiteInterpreter(index, parameterSites)).analyze(owner, method);
    flow.reason = new Reason[siteCount];
    flow.detail = new String[siteCount];
    flow.at = new int[siteCount];
    flow.otherThanReturn = new boolean[siteCount];
    for (int s = 0; s < siteCount; s++) {
      flow.via.add(new LinkedHashSet<>());
      flow.calls.add(new LinkedHashSet<>());
    }
    new EscapeUses(methods, callees).scan(method.instructions, flow.frames, new EscapeUses.Sink() {
      @Override
      public void escape(SiteValue value, Reason reason, String detail, int at) {
        for (int s : value.sites()) {
          if (flow.reason[s] == null) {
            flow.reason[s] = reason;
            flow.detail[s] = detail;
            flow.at[s] = at;
          }
          flow.otherThanReturn[s] |= reason != Reason.RETURNED;
        }
      }

      @Override
      public void safe(SiteValue value, String chain, boolean summarised, int at) {
        for (int s : value.sites()) {
          if (summarised && flow.via.get(s).size() < 4) {
            flow.via.get(s).add(chain);
          }
          if (flow.calls.get(s).size() < 4) {
            flow.calls.get(s).add(chain);
          }
        }
      }
    });
    return flow;
  }

  private List<AnalyzedSite> decide(String owner, MethodNode method, int[] lines,
      List<AbstractInsnNode> candidates, List<Allocator> allocators,
      List<SiteDecision> decisions, Callees callees) throws AnalyzerException {
    InsnList insns = method.instructions;
    Map<AbstractInsnNode, Integer> index = new IdentityHashMap<>();
    for (int s = 0; s < candidates.size(); s++) {
      if (decisions.get(s).decision() == Decision.POOLED) {
        index.put(candidates.get(s), s);
      }
    }
    Flow flow = flow(owner, method, index, Map.of(), candidates.size(), callees);
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
        decisions.set(s, reject(d, flow.reason[s], flow.detail[s], lines[flow.at[s]]));
      } else if (!flow.via.get(s).isEmpty() && d.reason() == Reason.NON_ESCAPING) {
        decisions.set(s, d.withReason(Reason.NON_ESCAPING_VIA_CALLEES, String.join("; ", flow.via.get(s))));
      }
    }
    List<Allocator> kinds = new ArrayList<>(allocators);
    Allocator self = callees.enabled()
        ? allocatorOf(owner, method, flow, 0, candidates, allocators, lines) : null;
    boolean[] allocatorSite = new boolean[candidates.size()];
    if (self != null) {
      for (int s : returnedSites(method, flow)) {
        if (allocators.get(s) == null) { // our own NEWARRAY: acquired for the callers
          allocatorSite[s] = true;
          kinds.set(s, self);
          SiteDecision d = decisions.get(s);
          decisions.set(s, SiteDecision.pooled(d.location(), Reason.ALLOCATOR, self.key));
        }
      }
    }
    boolean[] runsAgain = new boolean[candidates.size()];
    LocalLiveness liveness = null;
    ControlFlow cfg = null;
    for (int s = 0; s < candidates.size(); s++) {
      if (decisions.get(s).decision() != Decision.POOLED || allocatorSite[s]) {
        continue;
      }
      int at = insns.indexOf(candidates.get(s));
      if (cfg == null) {
        cfg = ControlFlow.of(method);
      }
      if (!cfg.onCycle(at)) {
        continue;
      }
      runsAgain[s] = true;
      Frame<SiteValue> before = frames[at];
      String live = null;
      for (int k = 0; k < before.getStackSize() && live == null; k++) {
        if (before.getStack(k).contains(s)) {
          live = "on the operand stack";
        }
      }
      for (int local = 0; local < before.getLocals() && live == null; local++) {
        if (before.getLocal(local).contains(s)) {
          if (liveness == null) {
            liveness = LocalLiveness.of(insns, cfg);
          }
          if (liveness.isLiveBefore(at, local)) {
            live = "in local " + localName(method, local, candidates.get(s));
          }
        }
      }
      if (live != null) {
        decisions.set(s, reject(decisions.get(s), Reason.LIVE_WHEN_SITE_RUNS_AGAIN, live, lines[at]));
      }
    }
    return result(candidates, kinds, allocatorSite, decisions, runsAgain,
        sizeModes(insns, frames, lines, candidates, allocators, allocatorSite, decisions));
  }

  /** Sites in the values of reachable ARETURNs. */
  private static Set<Integer> returnedSites(MethodNode method, Flow flow) {
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

  /**
   * Step 9: the method as an allocator, or null. Candidate site ids are offset by
   * {@code firstSite} (the parameters' sites come first in a summary).
   */
  private Allocator allocatorOf(String owner, MethodNode method, Flow flow,
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
        int l = inner != null ? inner.constantLength : constantLength(candidates.get(c).getPrevious());
        length = length == -2 || length == l ? l : -1;
        int at = lines[method.instructions.indexOf(candidates.get(c))];
        line = at >= 0 ? Math.min(line, at) : line;
        any = true;
      }
    }
    return any ? new Allocator(owner, method.name, method.desc,
        line == Integer.MAX_VALUE ? -1 : line, Math.max(-1, length)) : null;
  }

  /** A summary of {@code method} for its callers (see Callees); never throws. */
  public MethodSummary summarize(String owner, MethodNode method, Callees callees) {
    String key = owner + "." + method.name + method.desc;
    InsnList insns = method.instructions;
    if (insns.size() == 0) {
      return MethodSummary.opaque(key, "no code in " + key, false);
    }
    long cost = (long) insns.size() * method.maxLocals * method.maxLocals;
    if (insns.size() > maxInstructions || cost > maxCost) {
      return MethodSummary.opaque(key, key + " is over the analysis budget", false);
    }
    Type[] args = Type.getArgumentTypes(method.desc);
    boolean instance = (method.access & Opcodes.ACC_STATIC) == 0;
    int operands = args.length + (instance ? 1 : 0);
    Map<Integer, Integer> parameterSites = new HashMap<>();
    int[] siteOfOperand = new int[operands];
    java.util.Arrays.fill(siteOfOperand, -1);
    int slot = instance ? 1 : 0;
    for (int a = 0; a < args.length; a++) {
      if (Callees.mayBeByteArray(args[a])) {
        siteOfOperand[a + (instance ? 1 : 0)] = parameterSites.size();
        parameterSites.put(slot, parameterSites.size());
      }
      slot += args[a].getSize();
    }
    int firstSite = parameterSites.size();
    List<AbstractInsnNode> candidates = new ArrayList<>();
    List<Allocator> allocators = new ArrayList<>();
    Map<AbstractInsnNode, Integer> index = new IdentityHashMap<>();
    for (AbstractInsnNode insn = insns.getFirst(); insn != null; insn = insn.getNext()) {
      int op = insn.getOpcode();
      if (op == Opcodes.JSR || op == Opcodes.RET) {
        return MethodSummary.opaque(key, key + " uses JSR/RET", false);
      }
      Allocator a = null;
      if (op == Opcodes.NEWARRAY && ((IntInsnNode) insn).operand == Opcodes.T_BYTE) {
        int length = constantLength(insn.getPrevious());
        if (length >= 0 && length < minSize) {
          continue;
        }
      } else if (insn instanceof MethodInsnNode && method.desc.endsWith(")[B")) {
        MethodInsnNode call = (MethodInsnNode) insn;
        a = methods.verdict(call.owner, call.name, call.desc) == NonRetainingMethods.Verdict.UNKNOWN
            ? callees.allocator(call) : null;
        if (a == null) {
          continue;
        }
      } else {
        continue;
      }
      index.put(insn, firstSite + candidates.size());
      candidates.add(insn);
      allocators.add(a);
    }
    if (firstSite == 0 && !method.desc.endsWith(")[B")) {
      return new MethodSummary(key, new MethodSummary.Escape[operands], null, null, false);
    }
    try {
      Flow flow = flow(owner, method, index, parameterSites, firstSite + candidates.size(), callees);
      int[] lines = lines(insns);
      MethodSummary.Escape[] escapes = new MethodSummary.Escape[operands];
      String[] chains = new String[operands];
      for (int o = 0; o < operands; o++) {
        int s = siteOfOperand[o];
        if (s < 0) {
          continue;
        }
        Reason r = flow.reason[s];
        if (r == null) {
          chains[o] = flow.calls.get(s).isEmpty() ? "no calls" : "only " + String.join(", ", flow.calls.get(s));
        } else if (r == Reason.ESCAPES_IN_CALLEE || r == Reason.CALLEE_NOT_ANALYSABLE) {
          escapes[o] = new MethodSummary.Escape(r, flow.detail[s]);
        } else {
          int line = lines[flow.at[s]];
          escapes[o] = new MethodSummary.Escape(r, r + (flow.detail[s].isEmpty() ? "" : " " + flow.detail[s])
              + (line < 0 ? "" : " @" + line));
        }
      }
      return new MethodSummary(key, escapes, chains,
          allocatorOf(owner, method, flow, firstSite, candidates, allocators, lines), false);
    } catch (AnalyzerException | RuntimeException e) {
      return MethodSummary.opaque(key, "analysis of " + key + " failed: " + e.getMessage(), false);
    }
  }

  /** Step 6: sets each pooled site's size mode; returns the uses to bound per rounded site. */
  private List<List<CapacityUse>> sizeModes(InsnList insns, Frame<SiteValue>[] frames, int[] lines,
      List<AbstractInsnNode> candidates, List<Allocator> allocators,
      boolean[] allocatorSite, List<SiteDecision> decisions) {
    IntInsnNode[] pooled = new IntInsnNode[candidates.size()];
    for (int s = 0; s < pooled.length; s++) {
      if (decisions.get(s).decision() == Decision.POOLED && allocators.get(s) == null && !allocatorSite[s]) {
        pooled[s] = (IntInsnNode) candidates.get(s);
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

  private static SiteDecision reject(SiteDecision d, Reason reason, String detail, int line) {
    return SiteDecision.rejected(d.location(), reason, detail, line);
  }

  private static void skipAll(List<SiteDecision> decisions, Reason reason, String detail) {
    for (int s = 0; s < decisions.size(); s++) {
      SiteDecision d = decisions.get(s);
      if (d.decision() == Decision.POOLED) {
        decisions.set(s, SiteDecision.skipped(d.location(), reason, detail));
      }
    }
  }

  private static List<AnalyzedSite> result(List<AbstractInsnNode> candidates,
      List<Allocator> allocators, List<SiteDecision> decisions, boolean[] runsAgain,
      List<List<CapacityUse>> uses) {
    return result(candidates, allocators, new boolean[candidates.size()], decisions, runsAgain, uses);
  }

  /** Calls to allocators are listed only when accepted (they are not new byte[] sites). */
  private static List<AnalyzedSite> result(List<AbstractInsnNode> candidates,
      List<Allocator> allocators, boolean[] allocatorSite, List<SiteDecision> decisions,
      boolean[] runsAgain, List<List<CapacityUse>> uses) {
    List<AnalyzedSite> out = new ArrayList<>(candidates.size());
    for (int s = 0; s < candidates.size(); s++) {
      AnalyzedSite.Kind kind = allocatorSite[s] ? AnalyzedSite.Kind.ALLOCATOR
          : candidates.get(s) instanceof MethodInsnNode ? AnalyzedSite.Kind.ALLOCATOR_RESULT
          : AnalyzedSite.Kind.NEWARRAY;
      if (kind == AnalyzedSite.Kind.ALLOCATOR_RESULT && decisions.get(s).decision() != Decision.POOLED) {
        continue;
      }
      out.add(new AnalyzedSite(kind, candidates.get(s), allocators.get(s), decisions.get(s),
          runsAgain[s], uses == null ? Collections.emptyList() : uses.get(s)));
    }
    return out;
  }

  /** Source line per instruction index, -1 before the first line number. */
  public static int[] lines(InsnList insns) {
    int[] lines = new int[insns.size()];
    int line = -1;
    int i = 0;
    for (AbstractInsnNode insn = insns.getFirst(); insn != null; insn = insn.getNext(), i++) {
      if (insn instanceof LineNumberNode) {
        line = ((LineNumberNode) insn).line;
      }
      lines[i] = line;
    }
    return lines;
  }

  /** The pushed int constant, or -1 when the length is not a non-negative constant. */
  public static int constantLength(AbstractInsnNode previous) {
    if (previous == null) {
      return -1;
    }
    int op = previous.getOpcode();
    if (op >= Opcodes.ICONST_0 && op <= Opcodes.ICONST_5) {
      return op - Opcodes.ICONST_0;
    }
    if (op == Opcodes.BIPUSH || op == Opcodes.SIPUSH) {
      return Math.max(-1, ((IntInsnNode) previous).operand);
    }
    if (op == Opcodes.LDC && ((LdcInsnNode) previous).cst instanceof Integer) {
      return Math.max(-1, (Integer) ((LdcInsnNode) previous).cst);
    }
    return -1;
  }

  private static String localName(MethodNode method, int slot, AbstractInsnNode at) {
    if (method.localVariables != null) {
      int index = method.instructions.indexOf(at);
      for (LocalVariableNode v : method.localVariables) {
        if (v.index == slot && method.instructions.indexOf(v.start) <= index
            && index < method.instructions.indexOf(v.end)) {
          return slot + " (" + v.name + ")";
        }
      }
      for (LocalVariableNode v : method.localVariables) {
        if (v.index == slot) {
          return slot + " (" + v.name + ")";
        }
      }
    }
    return String.valueOf(slot);
  }
}
