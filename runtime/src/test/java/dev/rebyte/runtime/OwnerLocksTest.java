package dev.rebyte.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OwnerLocksTest {
  private final OwnerLocks locks = new OwnerLocks(64);

  @Test
  void of_oneOwner_alwaysTheSameLockAndNeverTheOwner() {
    Object owner = new Object();
    Object lock = locks.of(owner);
    assertSame(lock, locks.of(owner));
    assertNotSame(owner, lock);
    assertEquals(Object.class, lock.getClass());
  }

  @Test
  void of_manyOwners_spreadOverEveryStripe() {
    Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (int i = 0; i < 10_000; i++) {
      seen.add(locks.of(new Object()));
    }
    assertEquals(64, seen.size());
  }

  @Test
  void constructor_stripesNotAPowerOfTwo_throws() {
    assertThrows(IllegalArgumentException.class, () -> new OwnerLocks(48));
    assertThrows(IllegalArgumentException.class, () -> new OwnerLocks(0));
  }
}
