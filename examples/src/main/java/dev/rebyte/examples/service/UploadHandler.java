package dev.rebyte.examples.service;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * {@code POST /upload}: streams the request body through an 8 KiB buffer into SHA-256 and answers
 * {@code <sha256 hex> <length>} (an integrity check before a file is accepted).
 */
final class UploadHandler implements HttpHandler {
  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      if (!Exchanges.require(exchange, "POST")) {
        return;
      }
      MessageDigest sha256 = Digests.sha256();
      long total = 0;
      try (InputStream in = exchange.getRequestBody()) {
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) != -1) {
          sha256.update(buffer, 0, n);
          total += n;
        }
      }
      Exchanges.sendText(exchange, 200, Digests.hex(sha256.digest()) + " " + total + "\n");
    } finally {
      exchange.close();
    }
  }
}
