package dev.rebyte.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebyte.it.apps.CopyApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input (issue 6): malformed configurations, each given through its usual channel. Every one
 * gives one clear {@code [rebyte] config error} line naming the key and the value; the application
 * starts with rewriting disabled; with {@code rebyte.strict=true} startup stops with that message
 * and exit status 1. Both runs of a case share one JDK parameter pass (two JVMs per case per JDK).
 */
class BadConfigIT {
  @TempDir static Path dir;

  /** name, agent argument ({@code @DIR@} = a temp dir), system property or null, key, value. */
  static Stream<Arguments> cases() throws Exception {
    List<Object[]> c = new ArrayList<>();
    c.add(new Object[] {"unknown key", "colour=blue", null, "colour", "blue"});
    c.add(new Object[] {"bad size", "min-size=12q", null, "rebyte.min-size", "12q"});
    c.add(new Object[] {"negative min size", "min-size=-1", null, "rebyte.min-size", "-1"});
    c.add(new Object[] {"negative max size", "max-size=-5m", null, "rebyte.max-size", "-5m"});
    c.add(new Object[] {"min above max", "min-size=64k;max-size=4k", null, "rebyte.min-size", "65536"});
    c.add(new Object[] {"zero min size", "min-size=0", null, "rebyte.min-size", "0"});
    c.add(new Object[] {"size too large", "max-size=3g", null, "rebyte.max-size", "3g"});
    c.add(new Object[] {"malformed selector", "include=com..acme", null, "rebyte.include", "com..acme"});
    c.add(new Object[] {"malformed exclude", "exclude=com.acme.#copy", null, "rebyte.exclude", "com.acme.#copy"});
    c.add(new Object[] {"empty include", "include=", null, "rebyte.include", "needs at least one selector"});
    c.add(new Object[] {"unreadable config file", "config=@DIR@/missing.properties", null, "config", "missing.properties"});
    c.add(new Object[] {"config file naming another", "config=@DIR@/chained.properties", null, "rebyte.config=other.properties", "cannot name another"});
    c.add(new Object[] {"bad port", "http=99999", null, "rebyte.http", "99999"});
    c.add(new Object[] {"bad host:port", "http=localhost:", null, "rebyte.http", "localhost:"});
    c.add(new Object[] {"bad duration", "pool.idle-timeout=30parsecs", null, "rebyte.pool.idle-timeout", "30parsecs"});
    c.add(new Object[] {"bad max bytes", "pool.max-bytes=lots", null, "rebyte.pool.max-bytes", "lots"});
    c.add(new Object[] {"bad mode", "mode=fast", null, "rebyte.mode", "fast"});
    c.add(new Object[] {"bad leak detection", "leak-detection=always", null, "rebyte.leak-detection", "always"});
    c.add(new Object[] {"bad trust entry", "trust=not-a-method", null, "rebyte.trust", "not-a-method"});
    c.add(new Object[] {"bad distrust descriptor", "distrust=com.acme.Codec#decode(X)", null, "rebyte.distrust", "com.acme.Codec#decode(X)"});
    c.add(new Object[] {"report is a directory", "report=@DIR@", null, "rebyte.report", "is a directory"});
    c.add(new Object[] {"duplicate keys", "min-size=4k;min-size=8k", null, "rebyte.min-size", "8k"});
    c.add(new Object[] {"bad owners value", "owners=yes please", null, "rebyte.owners", "yes please"});
    c.add(new Object[] {"bad owner release", "owner.release=com.acme.Codec.end", null, "rebyte.owner.release", "com.acme.Codec.end"});
    c.add(new Object[] {"bad strict value", "strict=maybe", null, "rebyte.strict", "maybe"});
    c.add(new Object[] {"bad system property", "", "-Drebyte.mode=fast", "rebyte.mode", "fast"});
    return c.stream().map(Arguments::of);
  }

  static Stream<Arguments> casesOnJdks() throws Exception {
    List<Arguments> out = new ArrayList<>();
    for (Path java : Jdks.all()) {
      cases().forEach(a -> {
        Object[] x = a.get();
        out.add(Arguments.of(java, x[0], x[1], x[2], x[3], x[4]));
      });
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{1} on {0}")
  @MethodSource("casesOnJdks")
  void badConfig_oneClearLine_appRunsUnchanged_strictStops(Path java, String name, String argument,
      String property, String key, String value) throws Exception {
    Files.writeString(dir.resolve("chained.properties"), "include=dev.rebyte.it.apps\nconfig=other.properties\n");
    String arg = ("include=dev.rebyte.it.apps" + (argument.isEmpty() ? "" : ";" + argument)).replace("@DIR@", dir.toString());
    if (argument.startsWith("include=")) {
      arg = argument;
    }
    ForkedJvm.Result lenient = jvm(java, arg, property).run();
    assertEquals(0, lenient.exitCode, name + lenient.describe());
    assertTrue(lenient.stdout.contains("copied 300000"), "the app runs" + lenient.describe());
    List<String> errors = lenient.stderrLines("[rebyte] config error");
    assertEquals(1, errors.size(), name + ": one line" + lenient.describe());
    assertTrue(errors.get(0).contains(key) && errors.get(0).contains(value),
        name + ": the line names " + key + " and " + value + ": " + errors.get(0));
    assertEquals(1, lenient.stderrLines("[rebyte] rewriting disabled because of 1 configuration error(s)").size(),
        lenient.describe());
    assertTrue(lenient.stderrLines("[rebyte] rewrote").isEmpty(), lenient.describe());
    assertEquals(0L, lenient.poolStats().getOrDefault("Hits", 0L), "nothing pooled" + lenient.describe());

    ForkedJvm.Result strict = jvm(java, arg + ";strict=true", property).run();
    if (name.equals("bad strict value")) {
      return; // strict=maybe is itself the error; strict cannot be turned on by it
    }
    assertEquals(1, strict.exitCode, name + strict.describe());
    assertFalse(strict.stdout.contains("copied"), "the app must not start" + strict.describe());
    assertTrue(strict.stderr.contains(errors.get(0)), name + ": the same message" + strict.describe());
  }

  private static ForkedJvm jvm(Path java, String argument, String property) {
    ForkedJvm jvm = ForkedJvm.on(java).agent(argument).main(CopyApp.class, "1");
    if (property != null) {
      jvm.jvm(property);
    }
    return jvm;
  }
}
