package dev.rebyte.examples.service;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.zip.CRC32;

/**
 * Blobs of 1-4 MiB, the buffers that are humongous on G1 with a small heap.
 * <ul>
 *   <li>{@code GET /blobs/{name}}: reads the whole blob into memory, verifies it against the
 *       checksum recorded when it was stored, and sends it with that checksum as its ETag (a
 *       corrupted blob must never be served).</li>
 *   <li>{@code POST /blobs}: splits the upload into 1 MiB chunks and answers one SHA-256 per chunk
 *       (the chunk addresses of a deduplicating store), then the total length.</li>
 * </ul>
 */
final class BlobHandler implements HttpHandler {
  /** Chunk size of the content-addressed store. */
  static final int CHUNK = 1024 * 1024;
  static final long MAX_BLOB = 64L * 1024 * 1024;

  private final DataStore store;

  BlobHandler(DataStore store) {
    this.store = store;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      if (exchange.getRequestMethod().equalsIgnoreCase("GET")) {
        download(exchange);
      } else if (exchange.getRequestMethod().equalsIgnoreCase("POST")) {
        upload(exchange);
      } else {
        exchange.getResponseHeaders().set("Allow", "GET, POST");
        Exchanges.sendText(exchange, 405, "GET or POST\n");
      }
    } finally {
      exchange.close();
    }
  }

  private void download(HttpExchange exchange) throws IOException {
    String name = Exchanges.name(exchange, "/blobs/");
    Path path = store.blob(name);
    if (path == null) {
      Exchanges.sendText(exchange, 404, "no such blob\n");
      return;
    }
    long size = Files.size(path);
    if (size > MAX_BLOB) {
      Exchanges.sendText(exchange, 500, "blob too large to verify\n");
      return;
    }
    byte[] blob = new byte[(int) size];
    try (InputStream in = Files.newInputStream(path)) {
      if (in.readNBytes(blob, 0, blob.length) != blob.length) {
        Exchanges.sendText(exchange, 500, "blob truncated\n");
        return;
      }
    }
    CRC32 crc = new CRC32();
    crc.update(blob, 0, blob.length);
    if (crc.getValue() != store.blobCrc(name)) {
      Exchanges.sendText(exchange, 500, "blob corrupted\n");
      return;
    }
    exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
    exchange.getResponseHeaders().set("ETag", '"' + Long.toHexString(crc.getValue()) + '"');
    exchange.sendResponseHeaders(200, blob.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(blob);
    }
  }

  private void upload(HttpExchange exchange) throws IOException {
    StringBuilder answer = new StringBuilder();
    long total = 0;
    try (InputStream in = exchange.getRequestBody()) {
      byte[] chunk = new byte[CHUNK];
      int n;
      while ((n = in.readNBytes(chunk, 0, chunk.length)) > 0) {
        MessageDigest sha256 = Digests.sha256();
        sha256.update(chunk, 0, n);
        answer.append(Digests.hex(sha256.digest())).append('\n');
        total += n;
      }
    }
    Exchanges.sendText(exchange, 200, answer.append(total).append('\n').toString());
  }
}
