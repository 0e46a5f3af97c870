package dev.rebyte.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebyte.runtime.LeakDetection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;
  private final Map<String, String> props = new HashMap<>();
  private final Map<String, String> env = new HashMap<>();
  private final List<String> warnings = new ArrayList<>();

  private AgentConfig load(String args) throws ConfigException {
    return ConfigLoader.load(args, props, env, warnings);
  }

  private List<String> errors(String args) {
    return assertThrows(ConfigException.class, () -> load(args)).errors();
  }

  @Test
  void defaults_withJustAnInclude() throws Exception {
    AgentConfig c = load("include=com.acme.io");
    assertEquals(AgentMode.REWRITE, c.mode());
    assertTrue(c.rounded());
    assertEquals(4096, c.minSize());
    assertEquals(16 << 20, c.maxSize());
    assertEquals(Runtime.getRuntime().maxMemory() / 16, c.poolMaxBytes());
    assertEquals(Duration.ofSeconds(30), c.idleTimeout());
    assertEquals(LeakDetection.SAMPLED, c.leakDetection());
    assertNull(c.report());
    assertNull(c.http());
    assertFalse(c.strict());
    assertTrue(c.selector().selectsClass("com.acme.io.Copier"));
  }

  @Test
  void everyKey_parsed() throws Exception {
    AgentConfig c = load("rebyte.include=com.acme;exclude=com.acme.gen;min-size=8k;max-size=1m;"
        + "pool.max-bytes=64m;pool.idle-timeout=500ms;trust=com.acme.Codec#decode([BII)I;"
        + "distrust=java.io.OutputStream#write;mode=observe;report=" + dir.resolve("r.json")
        + ";http=0.0.0.0:9404;leak-detection=paranoid;strict=false;rounded=false");
    assertEquals(AgentMode.OBSERVE, c.mode());
    assertFalse(c.rounded());
    assertTrue(c.describe().contains("rounded=false"));
    assertEquals(8192, c.minSize());
    assertEquals(1 << 20, c.maxSize());
    assertEquals(64L << 20, c.poolMaxBytes());
    assertEquals(Duration.ofMillis(500), c.idleTimeout());
    assertEquals(List.of("com.acme.Codec#decode([BII)I"), c.trust());
    assertEquals(List.of("java.io.OutputStream#write"), c.distrust());
    assertEquals(dir.resolve("r.json").toAbsolutePath(), c.report());
    assertEquals("0.0.0.0", c.http().host());
    assertEquals(9404, c.http().port());
    assertEquals(LeakDetection.PARANOID, c.leakDetection());
    assertFalse(c.selector().selectsClass("com.acme.gen.X"));
    assertTrue(c.describe().contains("mode=observe"));
  }

  @Test
  void precedence_argumentThenPropertyThenEnvironmentThenFile() throws Exception {
    Path file = dir.resolve("rebyte.properties");
    Files.writeString(file, "# comment\nrebyte.include=from.file\nmin-size=1k\nmax-size=2m\n"
        + "pool.max-bytes = 1m\nleak-detection: disabled\n");
    env.put("REBYTE_MIN_SIZE", "2k");
    env.put("REBYTE_MAX_SIZE", "3m");
    env.put("REBYTE_POOL_MAX_BYTES", "5m");
    env.put("REBYTE_CONFIG", file.toString());
    props.put("rebyte.min-size", "3k");
    props.put("rebyte.max-size", "4m");
    AgentConfig c = load("min-size=4k");
    assertEquals(4096, c.minSize()); // argument beats property, env, file
    assertEquals(4 << 20, c.maxSize()); // property beats env and file
    assertEquals(5L << 20, c.poolMaxBytes()); // env beats file
    assertEquals(LeakDetection.DISABLED, c.leakDetection()); // file only
    assertTrue(c.selector().selectsClass("from.file.X"));
    assertEquals("agent argument", c.origin(ConfigKey.MIN_SIZE));
    assertEquals("system property rebyte.max-size", c.origin(ConfigKey.MAX_SIZE));
    assertEquals("environment REBYTE_POOL_MAX_BYTES", c.origin(ConfigKey.POOL_MAX_BYTES));
    assertTrue(c.origin(ConfigKey.LEAK_DETECTION).startsWith("file "));
  }

  @Test
  void unknownKey_namesKeyValueAndSource() {
    List<String> e = errors("include=a;colour=blue");
    assertEquals(1, e.size());
    assertTrue(e.get(0).startsWith("unknown key colour=blue (agent argument)"), e.get(0));
  }

  @Test
  void unknownSystemProperty_isAnError_unknownEnvironment_onlyAWarning() throws Exception {
    env.put("REBYTE_JDK25", "/opt/jdk");
    load("include=a");
    assertEquals(1, warnings.size());
    props.put("rebyte.colour", "blue");
    assertTrue(errors("include=a").get(0).contains("rebyte.colour=blue (system property)"));
  }

  @Test
  void badSize_negative_minAboveMax() {
    assertTrue(errors("include=a;min-size=12q").get(0)
        .startsWith("rebyte.min-size=12q (agent argument): not understood"));
    assertTrue(errors("include=a;max-size=-1").get(0).contains("must not be negative"));
    assertTrue(errors("include=a;min-size=64k;max-size=8k").get(0)
        .contains("rebyte.min-size=65536 (agent argument) is above rebyte.max-size=8192"));
    assertTrue(errors("include=a;max-size=4g").get(0).contains("too large"));
    assertTrue(errors("include=a;min-size=0").get(0).contains("at least 1"));
  }

  @Test
  void badDuration_mode_leakDetection_strict_http() {
    assertTrue(errors("include=a;pool.idle-timeout=soon").get(0).startsWith("rebyte.pool.idle-timeout=soon"));
    assertTrue(errors("include=a;mode=fast").get(0).contains("expected one of rewrite, observe, off"));
    assertTrue(errors("include=a;leak-detection=all").get(0).contains("disabled, sampled, paranoid"));
    assertTrue(errors("include=a;strict=yes").get(0).contains("expected one of true, false"));
    assertTrue(errors("include=a;rounded=maybe").get(0).startsWith("rebyte.rounded=maybe"));
    assertTrue(errors("include=a;http=99999").get(0).contains("outside 1-65535"));
    assertTrue(errors("include=a;http=host:port").get(0).contains("is not a port"));
    assertTrue(errors("include=a;http=:80").get(0).contains("empty host"));
  }

  @Test
  void owners_offByDefault_trueOrSelectors_andReleaseMethods() throws Exception {
    AgentConfig off = load("include=com.acme");
    assertFalse(off.ownersIn("com.acme.Codec"));
    assertTrue(off.ownerRelease().isEmpty());
    assertTrue(off.describe().contains("owners=false"));

    AgentConfig all = load("include=com.acme;owners=TRUE");
    assertTrue(all.ownersIn("com/acme/Codec"));

    AgentConfig some = load("include=com.acme;owners=com.acme.io,com.acme.zip.Inflating*;"
        + "owner.release=com.acme.Codec#end,com.acme.zip.Inflating$Reader#finish");
    assertTrue(some.ownersIn("com.acme.io.Framer"));
    assertTrue(some.ownersIn("com/acme/zip/InflatingReader"));
    assertFalse(some.ownersIn("com.acme.Codec"));
    assertEquals(List.of("com.acme.Codec#end", "com.acme.zip.Inflating$Reader#finish"), some.ownerRelease());
  }

  @Test
  void owners_badValues_nameTheKeyAndTheEntry() {
    assertTrue(errors("include=a;owners=").get(0).startsWith("rebyte.owners="), "empty");
    assertTrue(errors("include=a;owners=com..acme").get(0).startsWith("rebyte.owners=com..acme"));
    String release = errors("include=a;owner.release=com.acme.Codec.end").get(0);
    assertTrue(release.startsWith("rebyte.owner.release=com.acme.Codec.end")
        && release.contains("'com.acme.Codec.end' is not Class#method"), release);
    assertTrue(errors("include=a;owner.release=#end").get(0).contains("is not Class#method"));
    assertTrue(errors("include=a;owner.release=com.acme.Codec#end()").get(0).contains("is not Class#method"));
  }

  @Test
  void http_forms() throws Exception {
    assertEquals("127.0.0.1:9404", load("include=a;http=9404").http().toString());
    assertEquals("[::1]:9404", load("include=a;http=[::1]:9404").http().toString());
  }

  /**
   * The documented {@code key:value} form: an item is split at its first '=', or at its first ':'
   * when it has no '='; the rest is the value, so host:port values survive either way.
   */
  @Test
  void colonForm_isAccepted_andHostPortValuesKeepTheirColons() throws Exception {
    String[] items = {"http=127.0.0.1:9404", "http:127.0.0.1:9404", " rebyte.http : 127.0.0.1:9404"};
    for (String item : items) {
      AgentConfig c = load("include:com.acme;" + item);
      assertTrue(c.selector().selectsClass("com.acme.X"), item);
      assertEquals("127.0.0.1", c.http().host(), item);
      assertEquals(9404, c.http().port(), item);
    }
    assertEquals("0.0.0.0:9404", load("include=a;http=0.0.0.0:9404").http().toString());
    assertEquals("127.0.0.1:9404", load("include=a;http:9404").http().toString());
    Path report = dir.resolve("run=1.json");
    assertEquals(report.toAbsolutePath(), load("include=a;report=" + report).report());
    List<String> e = errors("include=a;report:" + report); // a '=' in the value needs the '=' form
    assertTrue(e.get(0).startsWith("unknown key report:" + report + " (agent argument)"), e.get(0));
  }

  @Test
  void malformedSelectorAndTrustEntry() {
    assertTrue(errors("include=com..acme").get(0).startsWith("rebyte.include=com..acme (agent argument): malformed selector"));
    assertTrue(errors("include=a;trust=Codec.decode").get(0).startsWith("rebyte.trust=Codec.decode"));
    assertTrue(errors("include=a;distrust=a.B#m(Q)V").get(0).contains("not a method descriptor"));
  }

  @Test
  void emptyInclude_isAnErrorUnlessOff() throws Exception {
    assertTrue(errors("").get(0).contains("needs at least one selector"));
    assertTrue(errors("mode=observe").get(0).contains("mode=observe needs"));
    assertEquals(AgentMode.OFF, load("mode=off").mode());
  }

  @Test
  void duplicates_inOneSource() throws IOException {
    assertTrue(errors("include=a;rebyte.include=b").get(0).contains("rebyte.include given twice (agent argument): 'a' and 'b'"));
    Path file = dir.resolve("dup.properties");
    Files.writeString(file, "include=a\nmin-size=4k\nmin-size=8k\n");
    assertTrue(errors("config=" + file).get(0).contains("rebyte.min-size given twice (file " + file + " line 3)"));
  }

  @Test
  void unreadableFile_andItemsThatAreNotKeyValue() {
    List<String> e = errors("include=a;config=" + dir.resolve("missing.properties"));
    assertTrue(e.get(0).startsWith("rebyte.config=" + dir.resolve("missing.properties") + " (agent argument): cannot read the file"), e.get(0));
    assertTrue(errors("include=a;verbose").get(0).contains("'verbose' (agent argument) is not key=value"));
  }

  @Test
  void report_mustBeAWritableFile() {
    assertTrue(errors("include=a;report=" + dir).get(0).contains("is a directory"));
  }

  @Test
  void everyErrorIsReported_andStrictIsCarried() {
    ConfigException e = assertThrows(ConfigException.class, () -> load("include=a;min-size=x;max-size=y;strict=true"));
    assertEquals(2, e.errors().size());
    assertTrue(e.strict());
    assertFalse(assertThrows(ConfigException.class, () -> load("include=a;min-size=x")).strict());
  }

  @Test
  void environmentNames() {
    assertEquals("REBYTE_POOL_IDLE_TIMEOUT", ConfigKey.POOL_IDLE_TIMEOUT.envName());
    assertEquals("REBYTE_LEAK_DETECTION", ConfigKey.LEAK_DETECTION.envName());
  }
}
