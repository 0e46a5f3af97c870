package dev.rebyte.agent.rewrite;

import java.util.List;
import java.util.Objects;

/**
 * Façade of the analysis and the rewrite: class file in, class file out.
 *
 * <p>Contract: {@link #transform} never throws. It returns the input array itself (and
 * {@code changed() == false}) unless at least one site was pooled (REWRITE) or observed (OBSERVE);
 * on any failure it returns the input with {@link TransformResult#failure()} set. Thread-safe: the
 * registrar and hierarchy must be too.
 */
public final class ClassTransformer {
  private final TransformOptions options;
  private final SiteRegistrar registrar;

  public ClassTransformer(TransformOptions options, SiteRegistrar registrar) {
    this.options = Objects.requireNonNull(options, "options");
    this.registrar = Objects.requireNonNull(registrar, "registrar");
  }

  /**
   * Analyses every selected method and rewrites the accepted sites.
   *
   * @param classFile the class file; not modified
   * @param hierarchy how to resolve super types when computing frames (no class loading)
   */
  public TransformResult transform(byte[] classFile, TypeHierarchy hierarchy) {
    return new TransformResult(null, classFile, false, List.of(), null, null);
  }
}
