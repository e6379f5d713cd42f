package io.geneva.examples.storage;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * A minimal object store over HTTP, serving a directory: {@code PUT}, {@code GET}, {@code HEAD} and
 * {@code DELETE} of {@code /<path>}, and {@code GET /?list=<prefix>} for the objects whose path
 * starts with the prefix (one {@code path\tsize\tmillis} line each). A {@code PUT} must carry {@code
 * Content-Length} and {@code X-Content-SHA256}; the body goes to a temporary file and becomes visible
 * by an atomic rename only if its length and digest match, so a reader never sees part of an object
 * and a wrong one is refused ({@code 400}). It is what {@link HttpObjectStorage} talks to, and small
 * enough to read in one sitting; it has no authentication, so serve it on loopback or a trusted
 * network only.
 *
 * <pre>
 * java -cp geneva-examples.jar io.geneva.examples.storage.HttpObjectServer DIR [PORT]
 * </pre>
 */
public final class HttpObjectServer implements AutoCloseable {
  /** The header with a {@code PUT} body's lower-case hex SHA-256. */
  public static final String SHA256_HEADER = "X-Content-SHA256";

  /** The header with an object's modification time in epoch milliseconds ({@code HEAD}, listings). */
  public static final String MODIFIED_HEADER = "X-Last-Modified-Millis";

  private static final String INCOMING = ".incoming";

  private final Path root;
  private final HttpServer server;
  private final ExecutorService executor;

  private HttpObjectServer(Path root, HttpServer server, ExecutorService executor) {
    this.root = root;
    this.server = server;
    this.executor = executor;
  }

  /** Serves the directory (created if missing) on this loopback port, 0 for any free one. */
  public static HttpObjectServer start(Path directory, int port) throws IOException {
    Path root = Files.createDirectories(directory).toRealPath();
    Files.createDirectories(root.resolve(INCOMING));
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    ExecutorService executor = Executors.newFixedThreadPool(8, r -> {
      Thread t = new Thread(r, "http-object-server");
      t.setDaemon(true);
      return t;
    });
    HttpObjectServer s = new HttpObjectServer(root, server, executor);
    server.createContext("/", s::handle);
    server.setExecutor(executor);
    server.start();
    return s;
  }

  /** The {@code httpstore} root of this server under the prefix, like {@code httpstore://127.0.0.1:8080/p}. */
  public URI root(String prefix) {
    return URI.create(HttpStorageProvider.SCHEME + "://127.0.0.1:" + server.getAddress().getPort() + "/" + prefix);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      String query = x.getRequestURI().getRawQuery();
      if (x.getRequestMethod().equals("GET") && query != null && query.startsWith("list=")) {
        list(x, URLDecoder.decode(query.substring(5), StandardCharsets.UTF_8));
        return;
      }
      Path file = resolve(x.getRequestURI().getRawPath());
      if (file == null) {
        reply(x, 400, "not an object path: " + x.getRequestURI().getRawPath());
        return;
      }
      switch (x.getRequestMethod()) {
        case "PUT" -> put(x, file);
        case "GET" -> get(x, file, true);
        case "HEAD" -> get(x, file, false);
        case "DELETE" -> {
          Files.deleteIfExists(file);
          x.sendResponseHeaders(204, -1);
        }
        default -> reply(x, 405, "method not allowed");
      }
    }
  }

  /** The file of an object path, or null if the path could leave the root or is not an object's. */
  private Path resolve(String rawPath) {
    String path = URLDecoder.decode(rawPath, StandardCharsets.UTF_8);
    if (!path.startsWith("/") || path.length() < 2 || path.contains("\\")) {
      return null;
    }
    for (String segment : path.substring(1).split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.equals(INCOMING)) {
        return null;
      }
    }
    Path file = root.resolve(path.substring(1)).normalize();
    return file.startsWith(root) && !file.equals(root) ? file : null;
  }

  private void put(HttpExchange x, Path file) throws IOException {
    String length = x.getRequestHeaders().getFirst("Content-Length");
    String expected = x.getRequestHeaders().getFirst(SHA256_HEADER);
    if (length == null || expected == null) {
      reply(x, 411, "Content-Length and " + SHA256_HEADER + " are required");
      return;
    }
    long size = Long.parseLong(length);
    Path tmp = root.resolve(INCOMING).resolve(UUID.randomUUID() + ".tmp");
    MessageDigest sha = sha256();
    long written = 0;
    try {
      try (InputStream in = x.getRequestBody(); OutputStream out = Files.newOutputStream(tmp)) {
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = in.read(buffer)) != -1) {
          out.write(buffer, 0, n);
          sha.update(buffer, 0, n);
          written += n;
        }
      }
      String actual = HexFormat.of().formatHex(sha.digest());
      if (written != size || !actual.equals(expected)) {
        reply(x, 400, "digest mismatch: received " + written + " bytes with sha256 " + actual + ", expected " + size
            + " bytes with sha256 " + expected);
        return;
      }
      Files.createDirectories(file.getParent());
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      x.sendResponseHeaders(201, -1);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void get(HttpExchange x, Path file, boolean body) throws IOException {
    long size;
    long modified;
    try {
      size = Files.size(file);
      modified = Files.getLastModifiedTime(file).toMillis();
    } catch (NoSuchFileException e) {
      x.sendResponseHeaders(404, -1);
      return;
    }
    x.getResponseHeaders().set(MODIFIED_HEADER, Long.toString(modified));
    x.getResponseHeaders().set("Content-Type", "application/octet-stream");
    if (!body) {
      x.getResponseHeaders().set("Content-Length", Long.toString(size));
      x.sendResponseHeaders(200, -1);
      return;
    }
    InputStream in;
    try {
      in = Files.newInputStream(file);
    } catch (NoSuchFileException e) { // deleted in between
      x.sendResponseHeaders(404, -1);
      return;
    }
    try (in; OutputStream out = x.getResponseBody()) {
      x.sendResponseHeaders(200, size == 0 ? -1 : size);
      in.transferTo(out);
    }
  }

  private void list(HttpExchange x, String prefix) throws IOException {
    StringBuilder lines = new StringBuilder();
    try (Stream<Path> files = Files.walk(root)) {
      List<Path> found = files.filter(Files::isRegularFile).filter(f -> !f.startsWith(root.resolve(INCOMING))).toList();
      for (Path f : found) {
        String path = root.relativize(f).toString().replace('\\', '/');
        if (path.startsWith(prefix)) {
          try {
            lines.append(path).append('\t').append(Files.size(f)).append('\t')
                .append(Files.getLastModifiedTime(f).toMillis()).append('\n');
          } catch (NoSuchFileException e) {
            // deleted while listing
          }
        }
      }
    }
    reply(x, 200, lines.toString());
  }

  private static void reply(HttpExchange x, int status, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = x.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** Serves DIR on PORT (default 8080) until the process is stopped. */
  public static void main(String[] args) throws IOException {
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: HttpObjectServer DIR [PORT]");
      System.exit(2);
    }
    HttpObjectServer s = start(Path.of(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 8080);
    System.out.println("serving " + args[0] + " as " + s.root("geneva"));
  }
}
