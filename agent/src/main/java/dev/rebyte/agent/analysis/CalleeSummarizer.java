package dev.rebyte.agent.analysis;

import dev.rebyte.agent.analysis.callee.Callees;
import dev.rebyte.agent.analysis.callee.MethodSummary;
import dev.rebyte.agent.analysis.jdk.NonRetainingMethods;
import dev.rebyte.agent.decision.Allocator;
import dev.rebyte.agent.decision.Reason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.AnalyzerException;

/** A callee's {@link MethodSummary} for its callers (see Callees). Stateless. */
final class CalleeSummarizer {
  /*
   *  Summaries (summarize) run steps 1-4 and 9 on the callee with each parameter that may be a
   *  byte[] as one more site (SiteInterpreter.newParameterValue).
   * Site ids: the parameters' sites first (in parameter order), then the candidates. A candidate
   * whose constant length is below minSize is left out; calls are candidates only when the method
   * returns byte[] (they matter only to step 9).
   */
  private CalleeSummarizer() {}

  /** A summary of {@code method} for its callers; never throws. */
  static MethodSummary summarize(EscapeAnalyzer analyzer, String owner, MethodNode method,
      Callees callees) {
    String key = owner + "." + method.name + method.desc;
    InsnList insns = method.instructions;
    if (insns.size() == 0) {
      return MethodSummary.opaque(key, "no code in " + key, false);
    }
    if (analyzer.overBudget(method)) {
      return MethodSummary.opaque(key, key + " is over the analysis budget", false);
    }
    Type[] args = Type.getArgumentTypes(method.desc);
    boolean instance = (method.access & Opcodes.ACC_STATIC) == 0;
    int operands = args.length + (instance ? 1 : 0);
    Map<Integer, Integer> parameterSites = new HashMap<>();
    int[] siteOfOperand = new int[operands];
    Arrays.fill(siteOfOperand, -1);
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
        int length = EscapeAnalyzer.constantLength(insn.getPrevious());
        if (length >= 0 && length < analyzer.minSize()) {
          continue;
        }
      } else if (insn instanceof MethodInsnNode && method.desc.endsWith(")[B")) {
        MethodInsnNode call = (MethodInsnNode) insn;
        a = analyzer.methods().verdict(call.owner, call.name, call.desc)
            == NonRetainingMethods.Verdict.UNKNOWN ? callees.allocator(call) : null;
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
      SiteEscapes flow = SiteEscapes.of(owner, method, index, parameterSites,
          firstSite + candidates.size(), analyzer.methods(), callees);
      int[] lines = EscapeAnalyzer.lines(insns);
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
          AllocatorCheck.allocatorOf(owner, method, flow, firstSite, candidates, allocators, lines), false);
    } catch (AnalyzerException | RuntimeException e) {
      return MethodSummary.opaque(key, "analysis of " + key + " failed: " + e.getMessage(), false);
    }
  }
}
