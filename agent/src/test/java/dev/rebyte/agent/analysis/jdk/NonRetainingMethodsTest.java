package dev.rebyte.agent.analysis.jdk;

import dev.rebyte.agent.select.MethodPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebyte.agent.analysis.jdk.NonRetainingMethods.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class NonRetainingMethodsTest {
  private final NonRetainingMethods defaults = NonRetainingMethods.defaults();

  @Test
  void excludedLookAlikes_areNeverTrustedByDefault() {
    for (NonRetainingMethods.Entry e : NonRetainingMethods.EXCLUDED) {
      for (NonRetainingMethods.Entry t : NonRetainingMethods.BUILT_IN) {
        MethodPattern x = e.pattern();
        MethodPattern p = t.pattern();
        assertFalse(p.owner().equals(x.owner()) && p.name().equals(x.name()),
            () -> p + " overlaps the excluded " + x);
      }
    }
    assertEquals(Verdict.UNKNOWN, defaults.verdict("java/nio/ByteBuffer", "wrap", "([B)Ljava/nio/ByteBuffer;"));
    assertEquals(Verdict.UNKNOWN, defaults.verdict("java/io/ByteArrayInputStream", "<init>", "([B)V"));
    assertEquals(Verdict.UNKNOWN, defaults.verdict("java/util/zip/Inflater", "setInput", "([B)V"));
  }

  @Test
  void everyEntry_saysWhy() {
    NonRetainingMethods.BUILT_IN.forEach(e -> assertFalse(e.reason().isBlank(), e::toString));
    NonRetainingMethods.EXCLUDED.forEach(e -> assertFalse(e.reason().isBlank(), e::toString));
  }

  @Test
  void matching_isByTheOwnerInTheInstruction() {
    assertEquals(Verdict.TRUSTED, defaults.verdict("java/io/InputStream", "read", "([BII)I"));
    assertEquals(Verdict.UNKNOWN, defaults.verdict("com/acme/MyStream", "read", "([BII)I"));
    assertEquals(Verdict.UNKNOWN, defaults.verdict("java/util/Arrays", "fill", "([Ljava/lang/Object;Ljava/lang/Object;)V"));
  }

  @Test
  void distrust_winsOverTrust() {
    NonRetainingMethods m = defaults.with(List.of(MethodPattern.parse("com.acme.Codec#decode")),
        List.of(MethodPattern.parse("com.acme.Codec#decode([B)V"), MethodPattern.parse("java.lang.System#arraycopy")));
    assertEquals(Verdict.TRUSTED, m.verdict("com/acme/Codec", "decode", "([BII)V"));
    assertEquals(Verdict.DISTRUSTED, m.verdict("com/acme/Codec", "decode", "([B)V"));
    assertEquals(Verdict.DISTRUSTED, m.verdict("java/lang/System", "arraycopy", "(Ljava/lang/Object;ILjava/lang/Object;II)V"));
  }

  @Test
  void pattern_parsesDottedNamesAndNestedClasses() {
    MethodPattern p = MethodPattern.parse("java.util.Base64$Decoder#decode([B[B)I");
    assertEquals("java/util/Base64$Decoder", p.owner());
    assertTrue(p.matches("java/util/Base64$Decoder", "decode", "([B[B)I"));
    assertFalse(p.matches("java/util/Base64$Decoder", "decode", "([B)[B"));
    assertEquals("java.util.Base64$Decoder#decode([B[B)I", p.toString());
  }
}
