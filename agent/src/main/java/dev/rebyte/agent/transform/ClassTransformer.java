package dev.rebyte.agent.transform;

import dev.rebyte.agent.classfile.HierarchyClassWriter;
import dev.rebyte.agent.classfile.SelfAwareHierarchy;
import dev.rebyte.agent.classfile.TypeHierarchy;
import dev.rebyte.agent.rewrite.OwnerRewriter;
import dev.rebyte.agent.rewrite.SiteRewriter;
import dev.rebyte.agent.decision.AnalyzedSite;
import dev.rebyte.agent.analysis.callee.CalleeSummaries;
import dev.rebyte.agent.analysis.callee.Callees;
import dev.rebyte.agent.decision.Decision;
import dev.rebyte.agent.analysis.EscapeAnalyzer;
import dev.rebyte.agent.decision.OwnedField;
import dev.rebyte.agent.analysis.owner.OwnerAnalysis;
import dev.rebyte.agent.decision.Reason;
import dev.rebyte.agent.decision.SiteDecision;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassTooLargeException;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodTooLargeException;
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
   * Pipeline: ClassReader (frames skipped: they are recomputed) -> ClassNode -> per selected method
   * EscapeAnalyzer -> OwnerAnalysis over the whole class (every method, selected or not: a field
   * belongs to the class), which turns STORED_IN_FIELD rejections into OWNED sites or into the
   * field's reason -> if nothing accepted and no owned field, return the input untouched (no re-emission, no frame
   * computation, no risk) -> register accepted sites (SiteRegistrar) -> SiteRewriter per method ->
   * HierarchyClassWriter with COMPUTE_FRAMES (COMPUTE_MAXS for pre-Java-6 class files, which have no
   * frames and may contain JSR). Failures map to a class reason: MethodTooLargeException (a method
   * past 64 KiB after the rewrite) -> METHOD_TOO_LARGE; UnresolvedTypeException -> TYPE_UNRESOLVED;
   * anything else -> REWRITE_FAILED / ANALYSIS_FAILED. Sites registered before a failed write keep
   * their id in the result but are SKIPPED with the class reason (their runtime counters stay zero).
   * Callee summaries (CalleeSummaries) read callees through TypeHierarchy.classFile and are cached
   * per TypeHierarchy.summaryScope (the defining loader under the agent). Allocator ids are
   * registered once per scope, by whichever comes first: the allocator's class or a caller.
   * Owned fields are registered once per transform (one id per field, shared by its acquires and
   * its releases); OwnerRewriter then rewrites every method of the class that stores into them or
   * releases them. Observe mode observes the owned acquires and changes nothing else.
   */
  private final TransformSettings options;
  private final SiteRegistrar registrar;
  private final EscapeAnalyzer analyzer;
  private final CalleeSummaries summaries;

  public ClassTransformer(TransformSettings options, SiteRegistrar registrar) {
    this.options = Objects.requireNonNull(options, "options");
    this.registrar = Objects.requireNonNull(registrar, "registrar");
    this.analyzer = new EscapeAnalyzer(options.nonRetainingMethods(), options.minSize(),
        options.maxAnalysisCost(), options.maxInstructions(), options.rounded());
    this.summaries = options.calleeDepth() == 0 ? CalleeSummaries.OFF
        : new CalleeSummaries(options.calleeDepth(), 64);
  }

  public TransformSettings settings() {
    return options;
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
        return unchanged(className, classFile, sites, null, Reason.UNSUPPORTED_CLASS);
      }
      ClassNode node = new ClassNode();
      reader.accept(node, ClassReader.SKIP_FRAMES);
      TypeHierarchy h = hierarchy == null ? TypeHierarchy.fromResources(null) : hierarchy;
      Callees callees = summaries.forClass(node, h::classFile, h.summaryScope());
      List<MethodNode> selected = new ArrayList<>();
      List<List<AnalyzedSite>> found = new ArrayList<>();
      for (MethodNode method : node.methods) {
        if (method.instructions.size() == 0 || !options.methodFilter().test(node.name, method.name)) {
          continue;
        }
        selected.add(method);
        found.add(analyzer.analyze(node.name, method, callees));
      }
      // owners are pooled only in classes selected whole: a field belongs to every method
      boolean whole = selected.size() == node.methods.stream().filter(m -> m.instructions.size() > 0).count();
      OwnerAnalysis.Result owners = new OwnerAnalysis(analyzer, h::classFile)
          .analyze(node, whole && options.ownersIn(node.name), options.ownerRelease(), callees,
              !options.retransforming());
      List<MethodNode> rewritten = new ArrayList<>();
      List<List<AnalyzedSite>> accepted = new ArrayList<>();
      for (int m = 0; m < selected.size(); m++) {
        List<AnalyzedSite> ok = new ArrayList<>();
        for (AnalyzedSite before : found.get(m)) {
          AnalyzedSite site = owners.revise(before);
          if (site.accepted()) {
            ok.add(site);
          } else {
            sites.add(site.decision());
          }
        }
        if (!ok.isEmpty()) {
          rewritten.add(selected.get(m));
          accepted.add(ok);
        }
      }
      analysed = true;
      boolean ownerRewrite = options.mode() == TransformSettings.Mode.REWRITE && !owners.pooled().isEmpty();
      if (rewritten.isEmpty() && !ownerRewrite) {
        return unchanged(className, classFile, sites, null, null);
      }
      return rewrite(classFile, node, rewritten, accepted, sites, hierarchy, callees,
          ownerRewrite ? owners : OwnerAnalysis.Result.NONE);
    } catch (Throwable t) {
      Reason reason = className == null ? Reason.UNSUPPORTED_CLASS
          : analysed ? Reason.REWRITE_FAILED : Reason.ANALYSIS_FAILED;
      return unchanged(className, classFile, sites, t, reason);
    }
  }

  private TransformResult rewrite(byte[] classFile, ClassNode node, List<MethodNode> methods,
      List<List<AnalyzedSite>> accepted, List<SiteDecision> sites, TypeHierarchy hierarchy,
      Callees callees, OwnerAnalysis.Result owners) {
    boolean observe = options.mode() == TransformSettings.Mode.OBSERVE;
    List<SiteDecision> registered = new ArrayList<>();
    String className = node.name.replace('/', '.');
    Map<String, Integer> fieldIds = new LinkedHashMap<>(); // owned field -> id, one registration each
    try {
      for (OwnedField f : owners.pooled()) {
        fieldIds.put(f.name(), registrar.register(f.site(), f.site().mode()));
      }
      for (int m = 0; m < methods.size(); m++) {
        List<AnalyzedSite> list = accepted.get(m);
        int[] ids = new int[list.size()];
        for (int k = 0; k < list.size(); k++) {
          AnalyzedSite site = list.get(k);
          SiteDecision d = site.decision();
          if (observe) {
            d = d.withOutcome(Decision.OBSERVED, d.reason());
          }
          if (site.ownedField() != null) {
            OwnedField f = site.ownedField();
            ids[k] = fieldIds.computeIfAbsent(f.name(), name -> {
              SiteDecision fs = observe ? f.site().withOutcome(Decision.OBSERVED, Reason.OWNED_BY_INSTANCE) : f.site();
              return registrar.register(fs, fs.mode());
            });
          } else if (site.allocatorKey() != null) {
            SiteDecision a = observe ? site.allocatorSite().withOutcome(Decision.OBSERVED, Reason.ALLOCATOR)
                : site.allocatorSite();
            ids[k] = callees.allocatorId(site.allocatorKey(), () -> registrar.register(a, a.mode()));
          } else {
            ids[k] = registrar.register(d, d.mode());
          }
          registered.add(d.withSiteId(ids[k]));
        }
        if (observe) {
          SiteRewriter.observe(methods.get(m), list, ids);
        } else {
          SiteRewriter.rewrite(methods.get(m), list, ids);
        }
      }
      if (!owners.pooled().isEmpty()) {
        OwnerRewriter.unfinal(node, fieldIds);
        for (MethodNode method : node.methods) {
          if (method.instructions.size() > 0) {
            OwnerRewriter.rewrite(node.name, method, fieldIds, owners.isReleaseMethod(method),
                owners.codecsToEnd());
          }
        }
      }
      int version = node.version & 0xFFFF;
      int flags = version >= Opcodes.V1_6 ? ClassWriter.COMPUTE_FRAMES : ClassWriter.COMPUTE_MAXS;
      ClassWriter writer = new HierarchyClassWriter(flags, SelfAwareHierarchy.of(node, hierarchy));
      node.accept(writer);
      byte[] bytes = writer.toByteArray();
      sites.addAll(registered);
      return new TransformResult(className, bytes, true, sites, null, null);
    } catch (Throwable t) {
      Reason reason = t instanceof MethodTooLargeException || t instanceof ClassTooLargeException
          ? Reason.METHOD_TOO_LARGE
          : t instanceof HierarchyClassWriter.UnresolvedTypeException
              ? Reason.TYPE_UNRESOLVED : Reason.REWRITE_FAILED;
      for (SiteDecision d : registered) {
        sites.add(d.withOutcome(Decision.SKIPPED, reason));
      }
      return unchanged(className, classFile, sites, t, reason);
    }
  }

  private static TransformResult unchanged(String className, byte[] classFile,
      List<SiteDecision> sites, Throwable failure, Reason reason) {
    return new TransformResult(className, classFile, false, sites, failure, reason);
  }
}
