package dev.rebyte.examples.load;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A minimal keep-alive HTTP/1.1 client connection to 127.0.0.1, enough for the example service:
 * fixed-length request bodies, fixed-length or chunked responses. Why not {@code HttpURLConnection}:
 * it writes the request head and a streamed body in separate packets without {@code TCP_NODELAY},
 * so every POST waited ~40 ms for a delayed ACK, which would have measured the loopback's ACK timer
 * instead of the service. This one sets {@code TCP_NODELAY} and sends head and body in one write
 * where it can.
 */
final class HttpConnection implements AutoCloseable {
  private final int port;
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  HttpConnection(int port) {
    this.port = port;
  }

  /** A response: status and body reader (already de-chunked); read it to the end before the next request. */
  static final class Response {
    final int status;
    final InputStream body;

    Response(int status, InputStream body) {
      this.status = status;
      this.body = body;
    }
  }

  Response exchange(String method, String path, byte[] body) throws IOException {
    if (socket == null) {
      socket = new Socket(InetAddress.getLoopbackAddress(), port);
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(60_000);
      in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
      out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    }
    try {
      StringBuilder head = new StringBuilder().append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
          .append("Host: 127.0.0.1:").append(port).append("\r\n");
      if (body != null) {
        head.append("Content-Type: application/octet-stream\r\nContent-Length: ").append(body.length).append("\r\n");
      }
      out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
      if (body != null) {
        out.write(body);
      }
      out.flush();
      return readResponse();
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  private Response readResponse() throws IOException {
    String status = line();
    if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
      throw new IOException("bad status line: " + status);
    }
    int code = Integer.parseInt(status.substring(9, 12));
    long length = -1;
    boolean chunked = false;
    boolean closeAfter = false;
    for (String h = line(); !h.isEmpty(); h = line()) {
      String lower = h.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Long.parseLong(h.substring(15).trim());
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      } else if (lower.startsWith("connection:") && lower.contains("close")) {
        closeAfter = true;
      }
    }
    InputStream body = chunked ? new Chunked() : new Fixed(Math.max(0, length));
    if (closeAfter) {
      socket = null; // the server closes; the next exchange reconnects
    }
    return new Response(code, body);
  }

  private String line() throws IOException {
    StringBuilder b = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new EOFException("connection closed");
      }
      if (c != '\r') {
        b.append((char) c);
      }
    }
    return b.toString();
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing a broken connection
      }
      socket = null;
    }
  }

  /** A body of known length. */
  private final class Fixed extends InputStream {
    private long remaining;

    Fixed(long remaining) {
      this.remaining = remaining;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (remaining == 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, remaining));
      if (n < 0) {
        throw new EOFException("body cut short");
      }
      remaining -= n;
      return n;
    }
  }

  /** A chunked body. */
  private final class Chunked extends InputStream {
    private long remaining;
    private boolean done;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (done) {
        return -1;
      }
      if (remaining == 0) {
        String size = line();
        int semi = size.indexOf(';');
        remaining = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
        if (remaining == 0) {
          while (!line().isEmpty()) {
            // trailers
          }
          done = true;
          return -1;
        }
      }
      int n = in.read(b, off, (int) Math.min(len, remaining));
      if (n < 0) {
        throw new EOFException("chunk cut short");
      }
      remaining -= n;
      if (remaining == 0) {
        line(); // CRLF after the chunk
      }
      return n;
    }
  }
}
