package dev.rebyte.agent.select;

/**
 * Classes the agent never touches, whatever the selectors say; each entry carries its reason.
 * Names are binary names in dotted form, as ByteBuddy reports them.
 */
final class AlwaysExcluded {
  private AlwaysExcluded() {}

  /** Prefix and reason, checked in order. */
  private static final String[][] PREFIXES = {
    // Our own code: the agent, the runtime the rewritten code calls (rewriting it would recurse),
    // the relocated libraries. Not all of dev.rebyte: our integration-test apps live there.
    {"dev.rebyte.agent.", "Rebyte's own classes"},
    {"dev.rebyte.runtime.", "Rebyte's own classes"},
    {"dev.rebyte.shaded.", "Rebyte's own classes"},
    // The JDK: loaded before or while the agent starts, on loaders that cannot see the runtime,
    // and often under class-loading locks where analysis must not run.
    {"java.", "JDK class"},
    {"javax.", "JDK class"},
    {"jdk.", "JDK class"},
    {"sun.", "JDK class"},
    {"com.sun.", "JDK class"},
    // ByteBuddy (an application's own copy too): transforming the transformer's library recurses.
    // Built at run time: the shade plugin rewrites string constants that look like the packages it
    // relocates, and would turn this literal into our own relocated package.
    {String.join(".", "net", "bytebuddy", ""), "ByteBuddy class"},
  };

  /** Substring and reason: generated code has no stable name and no allocation sites of its own. */
  private static final String[][] MARKERS = {
    // Hidden classes (lambdas on JDK 15+) carry a '/' in their binary name and are never retransformable.
    {"/", "hidden class"},
    {"$$Lambda", "lambda proxy"},
    // Spring/CGLIB ("$$EnhancerBySpringCGLIB$$", "CGLIB$$"), ByteBuddy ("$ByteBuddy$"), javassist.
    {"CGLIB$$", "CGLIB proxy"},
    {"$$", "generated proxy"},
    {"$ByteBuddy$", "ByteBuddy proxy"},
    // java.lang.reflect.Proxy instances ("com.sun.proxy.$Proxy12", "jdk.proxy1.$Proxy3").
    {"$Proxy", "dynamic proxy"},
  };

  /** Why a class is never transformed, or {@code null} when selectors decide. */
  static String reason(String className) {
    for (String[] entry : PREFIXES) {
      if (className.startsWith(entry[0])) {
        return entry[1];
      }
    }
    for (String[] entry : MARKERS) {
      if (className.contains(entry[0])) {
        return entry[1];
      }
    }
    return null;
  }
}
