package dev.rebyte.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebyte.it.apps.GlobalRegistryApp;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An application with its own, older Micrometer (1.12) and no Rebyte code gets the rebyte meters in
 * its global registry from the agent alone; they agree with JMX. Without the agent, none appear.
 */
class MicrometerAutoBindingIT {
  @ParameterizedTest
  @MethodSource("dev.rebyte.it.Jdks#all")
  void appsOwnMicrometer_getsRebyteMeters_thatAgreeWithJmx(Path java) throws Exception {
    ForkedJvm.Result r = ForkedJvm.on(java).withAppLibraries()
        .agent("include=dev.rebyte.it.apps")
        .main(GlobalRegistryApp.class).run();
    assertEquals(0, r.exitCode, r.describe());
    Map<String, Long> meters = meters(r);
    assertTrue(meters.keySet().stream().anyMatch(k -> k.startsWith("rebyte.pool.acquires{result=hit,size.class=8192}")), r.describe());
    Map<String, Long> jmx = r.poolStats();
    assertEquals(jmx.get("Hits"), sum(meters, "rebyte.pool.acquires{result=hit"), r.describe());
    assertEquals(jmx.get("Misses"), sum(meters, "rebyte.pool.acquires{result=miss"), r.describe());
    assertEquals(jmx.get("Bypasses"), sum(meters, "rebyte.pool.acquires{result=bypass"), r.describe());
    assertEquals(jmx.get("BytesSaved"), sum(meters, "rebyte.bytes.saved{"), r.describe());
    assertEquals(jmx.get("ReleasesPooled"), sum(meters, "rebyte.pool.releases{result=pooled"), r.describe());
    assertEquals(jmx.get("RetainedBytes"), sum(meters, "rebyte.pool.retained{"), r.describe());
    assertEquals(jmx.get("MaxBytes"), sum(meters, "rebyte.pool.max{"), r.describe());
    assertTrue(jmx.get("Hits") > 0, r.describe());
    assertTrue(sum(meters, "rebyte.sites{decision=rejected") >= 1, r.describe());
    assertEquals(1, r.stderrLines("[rebyte] metrics bound to Micrometer's global registry").size(), r.describe());
  }

  @ParameterizedTest
  @MethodSource("dev.rebyte.it.Jdks#all")
  void withoutTheAgent_noRebyteMeters(Path java) throws Exception {
    ForkedJvm.Result r = ForkedJvm.on(java).withAppLibraries().main(GlobalRegistryApp.class).run();
    assertEquals(0, r.exitCode, r.describe());
    assertEquals(List.of(), r.stderrLines("[app-meters]"), r.describe());
  }

  private static Map<String, Long> meters(ForkedJvm.Result r) {
    Map<String, Long> out = new HashMap<>();
    for (String line : r.stderrLines("[app-meters] ")) {
      String s = line.substring("[app-meters] ".length());
      int eq = s.lastIndexOf('=');
      out.put(s.substring(0, eq), Long.parseLong(s.substring(eq + 1)));
    }
    return out;
  }

  private static long sum(Map<String, Long> meters, String prefix) {
    return meters.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToLong(Map.Entry::getValue).sum();
  }
}
