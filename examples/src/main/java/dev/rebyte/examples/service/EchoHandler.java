package dev.rebyte.examples.service;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.CRC32;

/**
 * {@code POST /echo}: reads the whole body into {@code new byte[contentLength]} (what most handlers
 * that parse a body do), checksums it and sends it back with an {@code X-Crc32} header. Bodies
 * without a length, or over 1 MiB, are refused.
 */
final class EchoHandler implements HttpHandler {
  static final int MAX_BODY = 1024 * 1024;

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      if (!Exchanges.require(exchange, "POST")) {
        return;
      }
      long length = Exchanges.contentLength(exchange);
      if (length < 0 || length > MAX_BODY) {
        Exchanges.sendText(exchange, length < 0 ? 411 : 413, "need a Content-Length up to " + MAX_BODY + "\n");
        return;
      }
      byte[] body = new byte[(int) length];
      try (InputStream in = exchange.getRequestBody()) {
        if (in.readNBytes(body, 0, body.length) != body.length) {
          Exchanges.sendText(exchange, 400, "body shorter than Content-Length\n");
          return;
        }
      }
      CRC32 crc = new CRC32();
      crc.update(body, 0, body.length);
      exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
      exchange.getResponseHeaders().set("X-Crc32", Long.toHexString(crc.getValue()));
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } finally {
      exchange.close();
    }
  }
}
