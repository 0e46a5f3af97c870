package dev.rebyte.agent.transform;

import dev.rebyte.agent.analysis.EscapeAnalyzer;
import dev.rebyte.agent.analysis.callee.CalleeSummaries;
import dev.rebyte.agent.analysis.callee.Callees;
import dev.rebyte.agent.analysis.owner.OwnerAnalysis;
import dev.rebyte.agent.classfile.TypeHierarchy;
import dev.rebyte.agent.decision.AnalyzedSite;
import dev.rebyte.agent.decision.Reason;
import dev.rebyte.agent.decision.SiteDecision;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Façade of the analysis and the rewrite: class file in, class file out.
 *
 * <p>Contract: {@link #transform} never throws. It returns the input array itself (and
 * {@code changed() == false}) unless at least one site was pooled (REWRITE) or observed (OBSERVE);
 * on any failure it returns the input with {@link TransformResult#failure()} set and
 * {@link TransformResult#classReason()} saying why. Thread-safe when the registrar and the hierarchy
 * are.
 */
public final class ClassTransformer {
  /*
   * Pipeline: ClassReader (frames skipped: they are recomputed) -> ClassNode -> select the methods
   * (selectMethods) -> per selected method EscapeAnalyzer -> OwnerAnalysis over the whole class
   * (every method, selected or not: a field belongs to the class), which turns STORED_IN_FIELD
   * rejections into OWNED sites or into the field's reason -> decide: per method the accepted sites,
   * every other site left alone -> if nothing accepted and no owned field to rewrite, return the
   * input untouched (no re-emission, no frame computation, no risk) -> ClassEmitter registers the
   * accepted sites, hands them to the rewrite, writes the class and verifies what it wrote (its
   * comment has the order, the ids and the failures of that step). A failure before the emission maps to ANALYSIS_FAILED (to
   * REWRITE_FAILED once the decisions are made); a class file ASM cannot read to UNSUPPORTED_CLASS.
   * Callee summaries (CalleeSummaries) read callees through TypeHierarchy.classFile and are cached
   * per TypeHierarchy.summaryScope (the defining loader under the agent).
   *
   * The policy, each decision in one named step from the settings: which methods are analysed
   * (selectMethods), whether owner-scoped buffers may be pooled in this class (poolsOwners), whether
   * the owned fields are rewritten or only their acquires observed (rewritesOwners; the emitter
   * observes instead of pooling in OBSERVE mode).
   */
  private final TransformSettings settings;
  private final ClassEmitter emitter;
  private final EscapeAnalyzer analyzer;
  private final CalleeSummaries summaries;

  public ClassTransformer(TransformSettings settings, SiteRegistrar registrar) {
    this(settings, registrar, true);
  }

  /** @param verify whether rewritten classes are verified: false only to measure what it costs */
  ClassTransformer(TransformSettings settings, SiteRegistrar registrar, boolean verify) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.emitter = new ClassEmitter(Objects.requireNonNull(registrar, "registrar"),
        settings.mode() == TransformSettings.Mode.OBSERVE, verify);
    this.analyzer = new EscapeAnalyzer(settings.nonRetainingMethods(), settings.minSize(),
        settings.maxAnalysisCost(), settings.maxInstructions(), settings.rounded());
    this.summaries = CalleeSummaries.upTo(settings.calleeDepth());
  }

  public TransformSettings settings() {
    return settings;
  }

  /**
   * Analyses every selected method and rewrites the accepted sites.
   *
   * @param classFile the class file; not modified
   * @param hierarchy how to resolve super types when computing frames (no class loading)
   */
  public TransformResult transform(byte[] classFile, TypeHierarchy hierarchy) {
    String className = null;
    List<SiteDecision> sites = new ArrayList<>();
    boolean analysed = false;
    try {
      ClassReader reader = new ClassReader(classFile);
      className = reader.getClassName().replace('/', '.');
      if ((reader.getAccess() & Opcodes.ACC_MODULE) != 0) {
        return TransformResult.unchanged(className, classFile, sites, null, Reason.UNSUPPORTED_CLASS);
      }
      ClassNode node = new ClassNode();
      reader.accept(node, ClassReader.SKIP_FRAMES);
      TypeHierarchy h = hierarchy == null ? TypeHierarchy.fromResources(null) : hierarchy;
      Callees callees = summaries.forClass(node, h, h.summaryScope());
      List<MethodNode> selected = selectMethods(node);
      List<List<AnalyzedSite>> found = new ArrayList<>();
      for (MethodNode method : selected) {
        found.add(analyzer.analyze(node.name, method, callees));
      }
      OwnerAnalysis.Result owners = new OwnerAnalysis(analyzer, h)
          .analyze(node, poolsOwners(node, selected), settings.ownerRelease(), callees,
              !settings.retransforming());
      Map<MethodNode, List<AnalyzedSite>> accepted = decide(selected, found, owners, sites);
      analysed = true;
      boolean ownerRewrite = rewritesOwners(owners);
      if (accepted.isEmpty() && !ownerRewrite) {
        return TransformResult.unchanged(className, classFile, sites, null, null);
      }
      return emitter.emit(classFile, node, accepted, ownerRewrite ? owners : OwnerAnalysis.Result.NONE,
          sites, hierarchy, callees);
    } catch (Throwable t) {
      Reason reason = className == null ? Reason.UNSUPPORTED_CLASS
          : analysed ? Reason.REWRITE_FAILED : Reason.ANALYSIS_FAILED;
      return TransformResult.unchanged(className, classFile, sites, t, reason);
    }
  }

  /** Which methods are analysed: those with code that the method filter selects, in class-file order. */
  private List<MethodNode> selectMethods(ClassNode node) {
    List<MethodNode> selected = new ArrayList<>();
    for (MethodNode method : node.methods) {
      if (method.instructions.size() > 0 && settings.methodFilter().test(node.name, method.name)) {
        selected.add(method);
      }
    }
    return selected;
  }

  /** Whether owner-scoped buffers may be pooled in this class, else they are only reported. */
  private boolean poolsOwners(ClassNode node, List<MethodNode> selected) {
    // owners are pooled only in classes selected whole: a field belongs to every method
    boolean whole = selected.size() == node.methods.stream().filter(m -> m.instructions.size() > 0).count();
    return whole && settings.ownersIn(node.name);
  }

  /** Whether the owned fields are rewritten; OBSERVE mode only observes their acquires. */
  private boolean rewritesOwners(OwnerAnalysis.Result owners) {
    return settings.mode() == TransformSettings.Mode.REWRITE && !owners.pooled().isEmpty();
  }

  /**
   * Revises each found site through the owner analysis; the accepted ones, per method that has any
   * (class-file order), are returned, the others appended to {@code leftAlone}.
   */
  private static Map<MethodNode, List<AnalyzedSite>> decide(List<MethodNode> selected,
      List<List<AnalyzedSite>> found, OwnerAnalysis.Result owners, List<SiteDecision> leftAlone) {
    Map<MethodNode, List<AnalyzedSite>> accepted = new LinkedHashMap<>();
    for (int m = 0; m < selected.size(); m++) {
      List<AnalyzedSite> ok = new ArrayList<>();
      for (AnalyzedSite before : found.get(m)) {
        AnalyzedSite site = owners.revise(before);
        if (site.accepted()) {
          ok.add(site);
        } else {
          leftAlone.add(site.decision());
        }
      }
      if (!ok.isEmpty()) {
        accepted.put(selected.get(m), ok);
      }
    }
    return accepted;
  }
}
