package dev.rebyte.agent.config;

/** {@code rebyte.http}: {@code [host:]port}; the host defaults to 127.0.0.1, IPv6 as {@code [::1]:9404}. */
public final class HttpAddress {
  private final String host;
  private final int port;

  private HttpAddress(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /** @throws IllegalArgumentException saying what is wrong */
  static HttpAddress parse(String text) {
    String s = text.trim();
    String host = "127.0.0.1";
    String port = s;
    int colon = s.lastIndexOf(':');
    if (colon >= 0) {
      host = s.substring(0, colon);
      port = s.substring(colon + 1);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      } else if (host.contains(":")) {
        throw new IllegalArgumentException("write an IPv6 host in brackets, e.g. [::1]:9404");
      }
      if (host.isEmpty()) {
        throw new IllegalArgumentException("empty host before ':'");
      }
      for (int i = 0; i < host.length(); i++) {
        char c = host.charAt(i);
        if (!(Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == ':' || c == '_')) {
          throw new IllegalArgumentException("'" + host + "' is not a host name or address");
        }
      }
    }
    int p;
    try {
      p = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + port + "' is not a port; use [host:]port, e.g. 9404");
    }
    if (p < 1 || p > 65535) {
      throw new IllegalArgumentException("port " + p + " is outside 1-65535");
    }
    return new HttpAddress(host, p);
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
