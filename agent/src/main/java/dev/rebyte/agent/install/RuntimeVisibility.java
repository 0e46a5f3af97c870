package dev.rebyte.agent.install;

import dev.rebyte.agent.log.AgentLog;
import dev.rebyte.agent.report.SiteReport;
import dev.rebyte.runtime.Rebyte;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Decides, once per class loader, whether classes of that loader may be rewritten: only if the
 * loader resolves {@code dev.rebyte.runtime.Rebyte} to the very class the agent uses (the one on the
 * bootstrap class path). Rewritten code calls that class; in a loader that refuses it (OSGi without
 * boot delegation, JBoss Modules) or serves its own copy, the rewritten class would fail with a
 * {@code NoClassDefFoundError} or use a pool the agent never configured. A loader that fails is
 * logged in one line the first time, and every selected class it defines is counted in the report
 * and left unchanged.
 *
 * <p>The boot loader ({@code null}), the platform loader and the JDK's own application loader pass
 * without a probe: they always delegate unnamed-module classes to the boot loader.
 */
final class RuntimeVisibility {
  /*
   * How the probe resolves, and why:
   *
   * - Class.forName(name, false, loader): the same path the JVM takes when rewritten code resolves
   *   the symbolic reference (the JVM calls loader.loadClass), no initialisation. Calling
   *   loader.loadClass directly would differ for Equinox: with its (default) compatibility boot
   *   delegation, BundleLoader.isRequestFromVM() falls back to the parent when the first caller frame
   *   that is not a class loader belongs to a class outside a bundle: the agent's own frame would get
   *   the fallback, the application's code would not (the Datadog agent notes this as a TODO on its
   *   loadClass probe). With forName that frame is java.lang.Class, for which Equinox gives none.
   *   Not tested against Equinox here.
   * - Not findLoadedClass: it is protected (java.lang is not open to the agent) and answers only
   *   after the loader resolved the name once, which it has not before the first rewrite.
   * - Not a resource lookup: a resource URL proves nothing about class identity, and module systems
   *   filter classes and resources separately.
   *
   * Locks: inside a transform of a class of a loader that is not parallel-capable, the JVM already
   * holds that loader's monitor on this thread, so the probe takes it re-entrantly; delegation goes
   * child to parent, the order class loading already uses. The probe runs outside our cache lock
   * (a probe that holds a lock can deadlock against another loader's lock; OpenTelemetry's
   * discussion 17224 saw it with computeIfAbsent): two threads may probe the same loader at once,
   * the first to store the answer logs it. A probe may define a class (a loader with its own copy of
   * the runtime): that re-enters the transformer on this thread; the PROBING flag makes any class
   * met during a probe unselected, so nothing is rewritten or probed recursively.
   *
   * Cost: one WeakHashMap lookup under a lock per selected class after the first of its loader.
   * The map holds loaders weakly (they can be collected); it uses the loader's hashCode and equals.
   */

  static final String RUNTIME_CLASS = "dev.rebyte.runtime.Rebyte";

  private static final ThreadLocal<Boolean> PROBING = new ThreadLocal<>();

  private final Class<?> expected;
  private final ClassLoader platform;
  private final ClassLoader builtinApp;
  private final SiteReport report;
  private final Map<ClassLoader, String> answers = new WeakHashMap<>();

  RuntimeVisibility(SiteReport report) {
    this(Rebyte.class, report);
  }

  RuntimeVisibility(Class<?> expected, SiteReport report) {
    this.expected = expected;
    this.report = report;
    this.platform = ClassLoader.getPlatformClassLoader();
    ClassLoader system = ClassLoader.getSystemClassLoader(); // at install: never during its creation
    // A custom java.system.class.loader is the application's code: it is probed like any other.
    this.builtinApp = system != null && system.getClass().getClassLoader() == null ? system : null;
  }

  /** True if classes of {@code loader} may be rewritten; false counts {@code className} as skipped. */
  boolean rewrites(String className, ClassLoader loader) {
    if (loader == null || loader == platform || loader == builtinApp) {
      return true;
    }
    if (PROBING.get() != null) {
      return false; // a class defined by our own probe: leave it alone
    }
    String known; // "" when it rewrites, else the loader's description
    synchronized (answers) {
      known = answers.get(loader);
    }
    if (known == null) {
      String why = probe(loader);
      String name = why == null ? "" : describe(loader);
      boolean first;
      synchronized (answers) {
        known = answers.get(loader);
        first = known == null;
        if (first) {
          known = name;
          answers.put(loader, known);
        }
      }
      if (first && why != null) {
        report.recordSkippedLoader(name, why);
        AgentLog.log("not rewriting classes of class loader " + name + ": " + why
            + "; its classes run unchanged");
      }
    }
    if (known.isEmpty()) {
      return true;
    }
    report.recordSkippedClass(known, className);
    return false;
  }

  /** Null if {@code loader} resolves the runtime to the agent's class, else why not. */
  private String probe(ClassLoader loader) {
    PROBING.set(Boolean.TRUE);
    try {
      Class<?> found = Class.forName(RUNTIME_CLASS, false, loader);
      if (found == expected) {
        return null;
      }
      return "it resolves " + RUNTIME_CLASS + " to its own copy (loader " + found.getClassLoader()
          + "), not the one on the bootstrap class path";
    } catch (Throwable t) {
      return "it cannot load " + RUNTIME_CLASS + " from the bootstrap class path (" + t + ")";
    } finally {
      PROBING.remove();
    }
  }

  /** The loader's class, name and toString, e.g. {@code com.acme.BundleLoader "b1" (bundle 7)}. */
  static String describe(ClassLoader loader) {
    String text;
    try {
      text = String.valueOf(loader);
    } catch (RuntimeException e) {
      text = "toString failed: " + e;
    }
    String name = loader.getName();
    return loader.getClass().getName() + (name == null ? "" : " \"" + name + "\"") + " (" + text + ")";
  }
}
