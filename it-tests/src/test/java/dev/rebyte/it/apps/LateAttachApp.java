package dev.rebyte.it.apps;

import com.sun.tools.attach.VirtualMachine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.zip.CRC32;

/**
 * Runs some byte[] work without the agent, attaches the agent to itself ({@code args[0]} the jar,
 * {@code args[1]} the agent argument), then runs the same work again: the classes already loaded
 * ({@link CopyApp}, this one) must have been retransformed, and compute what they computed before.
 * Without arguments it never attaches: the run without the agent that {@code LateAttachIT} compares
 * with. The output depends on the arrays' contents (a checksum of every copy, the sum of fresh
 * buffers read before they are written), so a pooled array handed out dirty or released while in use
 * changes it.
 */
public final class LateAttachApp {
  public static void main(String[] args) throws Exception {
    System.out.println("before " + work(10));
    if (args.length == 2) {
      VirtualMachine vm = VirtualMachine.attach(String.valueOf(ProcessHandle.current().pid()));
      try {
        vm.loadAgent(args[0], args[1]);
      } finally {
        vm.detach();
      }
    }
    System.out.println("after " + work(50));
    PoolStats.print();
  }

  /** Copies through {@link CopyApp#copyStream} (a pooled site) and sums {@link #freshSum}. */
  private static String work(int rounds) throws Exception {
    CRC32 crc = new CRC32();
    long copied = 0;
    long fresh = 0;
    for (int i = 0; i < rounds; i++) {
      byte[] data = new byte[20_000]; // handed to ByteArrayInputStream: not pooled
      for (int k = 0; k < data.length; k++) {
        data[k] = (byte) (k * 31 + i);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      copied += CopyApp.copyStream(new ByteArrayInputStream(data), out);
      crc.update(out.toByteArray());
      fresh += freshSum(i);
    }
    return "copied=" + copied + " crc=" + crc.getValue() + " fresh=" + fresh;
  }

  /** Site "freshSum": pooled, and reads its array before writing it (0 unless handed out dirty). */
  static long freshSum(int round) {
    byte[] b = new byte[8192];
    long sum = 0;
    for (int k = 0; k < b.length; k++) {
      sum += b[k];
      b[k] = (byte) (k + round);
    }
    return sum;
  }
}
