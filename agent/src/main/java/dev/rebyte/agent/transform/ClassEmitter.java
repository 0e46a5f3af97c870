package dev.rebyte.agent.transform;

import dev.rebyte.agent.analysis.callee.Callees;
import dev.rebyte.agent.analysis.owner.OwnerAnalysis;
import dev.rebyte.agent.classfile.ClassVerifier;
import dev.rebyte.agent.classfile.HierarchyClassWriter;
import dev.rebyte.agent.classfile.SelfAwareHierarchy;
import dev.rebyte.agent.classfile.TypeHierarchy;
import dev.rebyte.agent.decision.AnalyzedSite;
import dev.rebyte.agent.decision.Decision;
import dev.rebyte.agent.decision.OwnedField;
import dev.rebyte.agent.decision.Reason;
import dev.rebyte.agent.decision.SiteDecision;
import dev.rebyte.agent.rewrite.OwnerRewriter;
import dev.rebyte.agent.rewrite.SiteRewriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassTooLargeException;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodTooLargeException;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The emission step of {@link ClassTransformer}: takes the decisions for one class, gives every
 * pooled or observed site its id ({@link SiteRegistrar}), hands the sites to the rewrite
 * ({@link SiteRewriter}, {@link OwnerRewriter}) and writes the class file. Decides nothing: what is
 * accepted, and whether owners are rewritten, comes in. Never throws; a failure returns the input.
 */
final class ClassEmitter {
  /*
   * Order: register accepted sites (SiteRegistrar) -> SiteRewriter per method -> OwnerRewriter for
   * the owned fields -> HierarchyClassWriter with COMPUTE_FRAMES (COMPUTE_MAXS for pre-Java-6 class
   * files, which have no frames and may contain JSR). Ids are handed out in registration order and
   * appear in the reports: the pooled owned fields first, then per method in class-file order each
   * accepted site in instruction order. Failures map to a class reason: MethodTooLargeException (a
   * method past 64 KiB after the rewrite) -> METHOD_TOO_LARGE; UnresolvedTypeException ->
   * TYPE_UNRESOLVED; anything else -> REWRITE_FAILED. Then the written bytes are verified
   * (ClassVerifier, no class loading): the methods the rewrite changed (SiteRewriter's, and those
   * OwnerRewriter reports it changed). The others keep their code; COMPUTE_FRAMES
   * recomputes their frames too, through the same hierarchy, and a merge it cannot resolve already
   * fails with TYPE_UNRESOLVED. Verifying them as well would refuse classes whose untouched code
   * checks a type the hierarchy cannot find (commons-compress read without xz on the class path),
   * a check the original class needs from the JVM just the same. A class that does not verify -> REWRITE_UNVERIFIABLE, each
   * registered site with the verifier's message (method, instruction index) as its detail. Sites
   * registered before a failed write or verification keep their id in the result but are SKIPPED
   * with the class reason (their runtime counters stay zero). Verification runs only for classes
   * that are rewritten: a class with nothing accepted never reaches the emitter.
   * Allocator ids are registered once per scope, by whichever comes first: the allocator's class or
   * a caller. Owned fields are registered once per transform (one id per field, shared by its
   * acquires and its releases); OwnerRewriter then rewrites every method of the class that stores
   * into them or releases them. Observe mode observes the owned acquires and changes nothing else.
   */
  private final SiteRegistrar registrar;
  private final boolean observe;
  private final boolean verify;

  /**
   * @param observe sites are observed ({@code Rebyte.observe}), not pooled
   * @param verify the written class is verified (false only to measure what verification costs)
   */
  ClassEmitter(SiteRegistrar registrar, boolean observe, boolean verify) {
    this.registrar = registrar;
    this.observe = observe;
    this.verify = verify;
  }

  /**
   * Emits the class: the rewritten bytes and every site, or on failure the input and the sites.
   *
   * @param accepted per method with accepted sites, in class-file order, its accepted sites
   * @param owners the owned fields to rewrite, {@link OwnerAnalysis.Result#NONE} for none
   * @param sites the sites left alone (rejected, skipped); the emitted ones are appended to it
   * @param hierarchy as the caller gave it (may be null) for the frames
   */
  TransformResult emit(byte[] classFile, ClassNode node, Map<MethodNode, List<AnalyzedSite>> accepted,
      OwnerAnalysis.Result owners, List<SiteDecision> sites, TypeHierarchy hierarchy,
      Callees callees) {
    List<SiteDecision> registered = new ArrayList<>();
    String className = node.name.replace('/', '.');
    Map<String, Integer> fieldIds = new LinkedHashMap<>(); // owned field -> id, one registration each
    try {
      for (OwnedField f : owners.pooled()) {
        fieldIds.put(f.name(), registrar.register(f.site(), f.site().mode()));
      }
      Set<String> rewritten = new HashSet<>(); // name + descriptor of each method the rewrite changed
      for (Map.Entry<MethodNode, List<AnalyzedSite>> e : accepted.entrySet()) {
        rewritten.add(e.getKey().name + e.getKey().desc);
        int[] ids = register(e.getValue(), fieldIds, callees, registered);
        if (observe) {
          SiteRewriter.observe(e.getKey(), e.getValue(), ids);
        } else {
          SiteRewriter.rewrite(e.getKey(), e.getValue(), ids);
        }
      }
      if (!owners.pooled().isEmpty()) {
        OwnerRewriter.unfinal(node, fieldIds);
        for (MethodNode method : node.methods) {
          if (method.instructions.size() > 0 && OwnerRewriter.rewrite(node.name, method, fieldIds,
              owners.isReleaseMethod(method), owners.codecsToEnd())) {
            rewritten.add(method.name + method.desc);
          }
        }
      }
      byte[] bytes = write(node, hierarchy);
      if (verify) {
        ClassVerifier.verify(bytes, SelfAwareHierarchy.of(node, hierarchy),
            method -> rewritten.contains(method.name + method.desc));
      }
      sites.addAll(registered);
      return TransformResult.changed(className, bytes, sites);
    } catch (Throwable t) {
      Reason reason = t instanceof MethodTooLargeException || t instanceof ClassTooLargeException
          ? Reason.METHOD_TOO_LARGE
          : t instanceof HierarchyClassWriter.UnresolvedTypeException
              ? Reason.TYPE_UNRESOLVED
              : t instanceof ClassVerifier.UnverifiableClassException
                  ? Reason.REWRITE_UNVERIFIABLE : Reason.REWRITE_FAILED;
      for (SiteDecision d : registered) {
        SiteDecision skipped = d.withOutcome(Decision.SKIPPED, reason);
        sites.add(reason == Reason.REWRITE_UNVERIFIABLE ? skipped.withReason(reason, t.getMessage())
            : skipped);
      }
      return TransformResult.unchanged(className, classFile, sites, t, reason);
    }
  }

  /** Registers one method's accepted sites in order: their ids; their decisions go to registered. */
  private int[] register(List<AnalyzedSite> list, Map<String, Integer> fieldIds, Callees callees,
      List<SiteDecision> registered) {
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
    return ids;
  }

  /** COMPUTE_FRAMES through the hierarchy (no class loading); COMPUTE_MAXS before Java 6. */
  private static byte[] write(ClassNode node, TypeHierarchy hierarchy) {
    int version = node.version & 0xFFFF;
    int flags = version >= Opcodes.V1_6 ? ClassWriter.COMPUTE_FRAMES : ClassWriter.COMPUTE_MAXS;
    ClassWriter writer = new HierarchyClassWriter(flags, SelfAwareHierarchy.of(node, hierarchy));
    node.accept(writer);
    return writer.toByteArray();
  }
}
