package dev.rebyte.agent.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ClassSelectorTest {

  @ParameterizedTest(name = "{0} selects {1}: {2}")
  @CsvSource({
    // package and sub-packages
    "com.acme.io, com.acme.io.Copier, true",
    "com.acme.io, com.acme.io.sub.Deep, true",
    "com.acme.io, com.acme.io, true",
    "com.acme.io, com.acme.iox.Other, false",
    "com.acme.io, com.acme.Io, false",
    // a class and its nested classes
    "com.acme.io.Copier, com.acme.io.Copier, true",
    "com.acme.io.Copier, com.acme.io.Copier$Buffer, true",
    "com.acme.io.Copier, com.acme.io.CopierFactory, false",
    // * is exactly one segment
    "com.acme.*.codec, com.acme.net.codec.Frame, true",
    "com.acme.*.codec, com.acme.codec.Frame, false",
    "com.acme.*.codec, com.acme.a.b.codec.Frame, false",
    // ** any number of segments, * inside a segment
    "com.acme.**.Frame*, com.acme.FrameCodec, true",
    "com.acme.**.Frame*, com.acme.x.y.FrameCodec, true",
    "com.acme.**.Frame*, com.acme.x.y.FrameCodec$1, true",
    "com.acme.**.Frame*, com.acme.x.y.Codec, false",
    "com.acme.**.Frame*, org.acme.Frame, false",
    "com.acme.io.C*r, com.acme.io.Copier, true",
    "com.acme.io.C*r, com.acme.io.Copy, false",
  })
  void includeForms(String selector, String className, boolean expected) {
    assertEquals(expected, ClassSelector.compile(selector, null).selectsClass(className));
  }

  @Test
  void methodSelector_selectsClassForThatMethodOnly() {
    ClassSelector s = ClassSelector.compile("com.acme.io.Copier#copy", "");
    assertTrue(s.selectsClass("com.acme.io.Copier"));
    assertFalse(s.selectsClass("com.acme.io.Other"));
    assertTrue(s.selectsMethod("com/acme/io/Copier", "copy"));
    assertFalse(s.selectsMethod("com/acme/io/Copier", "close"));
  }

  @Test
  void excludesWin() {
    ClassSelector s = ClassSelector.compile("com.acme", "com.acme.gen,com.acme.io.Copier#close");
    assertTrue(s.selectsClass("com.acme.io.Copier"));
    assertFalse(s.selectsClass("com.acme.gen.Parser"));
    assertTrue(s.selectsMethod("com/acme/io/Copier", "copy"));
    assertFalse(s.selectsMethod("com/acme/io/Copier", "close"));
    assertFalse(s.selectsMethod("com/acme/gen/Parser", "parse"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "dev.rebyte.agent.X", "dev.rebyte.runtime.Rebyte", "dev.rebyte.shaded.asm.ClassReader", "java.io.InputStream", "javax.crypto.Cipher",
    "jdk.internal.Foo", "sun.nio.ch.Util", "com.sun.net.Foo", "net.bytebuddy.ByteBuddy",
    "com.acme.Foo$$Lambda$14/0x0000000800c0b000", "com.acme.Foo$$EnhancerBySpringCGLIB$$1",
    "com.acme.Foo$Proxy3", "com.acme.Hidden/0x1234"
  })
  void alwaysExcluded_evenWhenIncluded(String className) {
    ClassSelector everything = ClassSelector.compile("**", "");
    assertFalse(everything.selectsClass(className), className);
    assertTrue(ClassSelector.alwaysExcludedReason(className) != null);
  }

  @Test
  void doubleStarAlone_selectsApplicationClasses() {
    assertTrue(ClassSelector.compile("**", "").selectsClass("com.acme.Foo"));
    assertTrue(ClassSelector.compile("**", "").selectsClass("dev.rebyte.it.apps.CopyApp"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "com..acme", ".com.acme", "com.acme.", "com.ac-me", "com.a**b", "com.acme#", "#copy",
    "com.acme.Copier#co py", "com.acme.Copier#copy(I)V", "com.acme,,org.x", "com acme"
  })
  void malformed_isRejectedWithTheEntry(String selector) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ClassSelector.validate(selector));
    assertTrue(e.getMessage().contains("selector"), e.getMessage());
  }

  @Test
  void emptyInclude_selectsNothing() {
    ClassSelector s = ClassSelector.compile("", null);
    assertTrue(s.isEmpty());
    assertFalse(s.selectsClass("com.acme.Foo"));
  }
}
