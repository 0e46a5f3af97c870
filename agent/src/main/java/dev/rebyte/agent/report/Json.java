package dev.rebyte.agent.report;

/** The little JSON the report needs, written by hand so the agent ships no JSON library. */
public final class Json {
  private Json() {}

  /** Appends {@code s} as a JSON string literal (RFC 8259 escaping; U+2028/2029 escaped too). */
  public static StringBuilder string(StringBuilder b, String s) {
    if (s == null) {
      return b.append("null");
    }
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          b.append("\\\"");
          break;
        case '\\':
          b.append("\\\\");
          break;
        case '\n':
          b.append("\\n");
          break;
        case '\r':
          b.append("\\r");
          break;
        case '\t':
          b.append("\\t");
          break;
        case '\b':
          b.append("\\b");
          break;
        case '\f':
          b.append("\\f");
          break;
        default:
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
      }
    }
    return b.append('"');
  }

  /** Appends {@code "name": } (with the leading comma when needed). */
  public static StringBuilder name(StringBuilder b, boolean first, String name) {
    if (!first) {
      b.append(", ");
    }
    return string(b, name).append(": ");
  }
}
