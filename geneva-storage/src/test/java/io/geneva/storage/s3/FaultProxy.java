package io.geneva.storage.s3;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A fault-injecting HTTP/1.1 reverse proxy for tests, between an S3 client and a real S3-compatible
 * server on loopback.
 *
 * <p>It works at the TCP level and parses only enough HTTP/1.1 to find where each request and
 * response ends (Content-Length, chunked, or until close). Requests it forwards go to the upstream
 * byte for byte, so Host, path, query and every signed header stay as the client signed them;
 * responses come back byte for byte, so the client's keep-alive connections keep working. Each
 * forwarded request gets a fresh upstream connection, so a stale upstream connection never shows up
 * as a fault nobody scripted. {@code Expect: 100-continue} is forwarded and the upstream's interim
 * response relayed. Faults are scripted with {@link #failNext}; every request is recorded for
 * assertions with {@link #requests()}.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start(s3proxyEndpoint)) {
 *   proxy.failNext(2, Fault.SLOW_DOWN, r -> r.method().equals("PUT"));
 *   // point the client at proxy.uri(), run the code under test, then look at proxy.requests()
 * }
 * }</pre>
 *
 * <p>Thread-safe: tests script faults from their own thread while connection threads (daemons, one
 * per client connection) serve requests. {@link #close()} closes every socket the proxy opened.
 */
public final class FaultProxy implements AutoCloseable {
  private static final int POLL_MILLIS = 10;
  private static final int LINGER_MILLIS = 1_000;
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
  /** The response sink of a request whose response the client must not get. */
  private static final OutputStream DISCARD = OutputStream.nullOutputStream();
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);

  /**
   * What the proxy does to a request instead of, or on top of, forwarding it. The constants cover
   * the faults S3 clients must survive; {@link #error} and {@link #slow} build variants.
   */
  public sealed interface Fault {
    /** 500 with S3 error code {@code InternalError}; the request is not forwarded. */
    Fault INTERNAL_ERROR =
        new ErrorResponse(
            500, "Internal Server Error", "InternalError",
            "We encountered an internal error. Please try again.");

    /** 503 with S3 error code {@code ServiceUnavailable}; the request is not forwarded. */
    Fault SERVICE_UNAVAILABLE =
        new ErrorResponse(
            503, "Service Unavailable", "ServiceUnavailable", "Please reduce your request rate.");

    /** 503 with S3 error code {@code SlowDown}; the request is not forwarded. */
    Fault SLOW_DOWN =
        new ErrorResponse(503, "Slow Down", "SlowDown", "Please reduce your request rate.");

    /**
     * After reading the request head, the client connection is reset (SO_LINGER 0), so the client
     * sees a connection reset; the request is not forwarded.
     */
    Fault RESET = new Reset(false);

    /**
     * The request is forwarded and the upstream's response read in full, then the client
     * connection is reset instead of relaying it: the client retries something that happened.
     */
    Fault RESET_AFTER_FORWARD = new Reset(true);

    /** Forwarded, but the response's first byte waits 3 s; see {@link #slow(Duration)}. */
    Fault SLOW = slow(Duration.ofSeconds(3));

    /** A fault answering with an S3 error document; the request is not forwarded. */
    static Fault error(int status, String code, String message) {
      return new ErrorResponse(status, "Injected Error", code, message);
    }

    /** Forwarded, then the response waits {@code firstByteDelay} before its first byte. */
    static Fault slow(Duration firstByteDelay) {
      return new Slow(firstByteDelay, 0, Duration.ZERO);
    }

    /**
     * Forwarded, then the response waits {@code firstByteDelay} before its first byte and
     * {@code pause} after each further {@code bytesPerPause} bytes.
     */
    static Fault slow(Duration firstByteDelay, int bytesPerPause, Duration pause) {
      return new Slow(firstByteDelay, bytesPerPause, pause);
    }

    /** An S3 error document sent instead of forwarding. */
    record ErrorResponse(int status, String reason, String code, String message) implements Fault {
      public ErrorResponse {
        if (status < 200 || status > 599) {
          throw new IllegalArgumentException("status must be a final HTTP status, was " + status);
        }
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
      }

      @Override
      public String toString() {
        return status + " " + code;
      }
    }

    /** A connection reset, before or after forwarding. */
    record Reset(boolean afterForward) implements Fault {
      @Override
      public String toString() {
        return afterForward ? "RESET_AFTER_FORWARD" : "RESET";
      }
    }

    /** A forwarded request whose response is held back and dribbled. */
    record Slow(Duration firstByteDelay, int bytesPerPause, Duration pause) implements Fault {
      public Slow {
        if (firstByteDelay.isNegative() || pause.isNegative()) {
          throw new IllegalArgumentException(
              "delays must not be negative, were " + firstByteDelay + " and " + pause);
        }
        if (bytesPerPause < 0) {
          throw new IllegalArgumentException(
              "bytesPerPause must not be negative, was " + bytesPerPause);
        }
      }

      @Override
      public String toString() {
        return bytesPerPause == 0
            ? "SLOW(" + firstByteDelay + ")"
            : "SLOW(" + firstByteDelay + ", " + pause + " per " + bytesPerPause + " bytes)";
      }
    }
  }

  /**
   * A request as the proxy received it, for fault predicates.
   *
   * @param path the request target as sent: path and query
   * @param headers the header fields, looked up case-insensitively
   */
  public record Request(String method, String path, Map<String, List<String>> headers) {
    public Request {
      Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
      headers = Collections.unmodifiableMap(copy);
    }

    /** The first value of a header field, looked up case-insensitively. */
    public Optional<String> header(String name) {
      List<String> values = headers.getOrDefault(name, List.of());
      return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }
  }

  /**
   * What happened to one request, for assertions.
   *
   * @param connection which client connection carried it, numbered from 1 in accept order
   * @param fault the fault injected, if any
   * @param forwarded whether the request reached the upstream
   * @param status the status of the final response the proxy sent the client, if it sent one; a
   *     client that gave up waiting (see {@link Fault#SLOW}) may not have received it
   * @param error why the exchange broke off, if it did (client gone, upstream gone, proxy closed);
   *     recorded when the proxy notices, which may be after the client has moved on
   */
  public record Exchange(
      int connection,
      String method,
      String path,
      Optional<Fault> fault,
      boolean forwarded,
      OptionalInt status,
      Optional<String> error) {
    /** Like {@code PUT /b/k -> 503 (503 SlowDown)} or {@code PUT /b/k -> no response (RESET)}. */
    @Override
    public String toString() {
      String sent = status.isPresent() ? String.valueOf(status.getAsInt()) : "no response";
      return method + " " + path + " -> " + sent + fault.map(f -> " (" + f + ")").orElse("");
    }
  }

  private final String upstreamHost;
  private final int upstreamPort;
  private final ServerSocket server;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final List<Rule> rules = new ArrayList<>(); // guarded by this
  private final List<Entry> entries = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger errorIds = new AtomicInteger();
  private volatile Duration responseDelay = Duration.ZERO;

  private FaultProxy(String upstreamHost, int upstreamPort, ServerSocket server) {
    this.upstreamHost = upstreamHost;
    this.upstreamPort = upstreamPort;
    this.server = server;
  }

  /**
   * Starts a proxy on 127.0.0.1 and an ephemeral port, forwarding to {@code upstream}.
   *
   * @param upstream an {@code http} URI with a host, such as {@code http://127.0.0.1:9000}
   */
  public static FaultProxy start(URI upstream) {
    if (!"http".equalsIgnoreCase(upstream.getScheme()) || upstream.getHost() == null) {
      throw new IllegalArgumentException(
          "upstream " + upstream + " is not an http://host:port URI; the proxy speaks plain HTTP");
    }
    int port = upstream.getPort() == -1 ? 80 : upstream.getPort();
    ServerSocket server;
    try {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind the fault proxy on loopback", e);
    }
    FaultProxy proxy = new FaultProxy(upstream.getHost(), port, server);
    Thread acceptor = new Thread(proxy::acceptLoop, "fault-proxy-accept-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
    return proxy;
  }

  /** Where clients connect: {@code http://127.0.0.1:PORT}. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  /** The next {@code n} requests get {@code fault}, after faults scripted earlier are used up. */
  public void failNext(int n, Fault fault) {
    failNext(n, fault, request -> true);
  }

  /**
   * The next {@code n} requests that {@code which} accepts get {@code fault}. A request takes the
   * earliest scripted fault whose predicate accepts it; others pass through.
   */
  public synchronized void failNext(int n, Fault fault, Predicate<Request> which) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be at least 1, was " + n);
    }
    rules.add(new Rule(n, Objects.requireNonNull(fault, "fault"), Objects.requireNonNull(which)));
  }

  /** Every response, relayed or faked, waits {@code delay} before its first byte. */
  public void delayEveryResponse(Duration delay) {
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative, was " + delay);
    }
    responseDelay = delay;
  }

  /** Undoes {@link #delayEveryResponse}. */
  public void noDelay() {
    responseDelay = Duration.ZERO;
  }

  /** Every request received so far, in the order their heads arrived, faulted or not. */
  public List<Exchange> requests() {
    return entries.stream().map(Entry::snapshot).toList();
  }

  /** How many requests were received so far, faulted or not. */
  public int requestCount() {
    return entries.size();
  }

  /** Stops accepting and closes every connection. Idempotent. */
  @Override
  public void close() {
    if (closed.getCount() == 0) {
      return;
    }
    closed.countDown();
    List<Closeable> all = new ArrayList<>(sockets);
    all.add(0, server);
    UncheckedIOException failure = null;
    for (Closeable closeable : all) {
      try {
        closeable.close();
      } catch (IOException e) {
        if (failure == null) {
          failure = new UncheckedIOException("cannot close the fault proxy's sockets", e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private void acceptLoop() {
    while (true) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        if (closed.getCount() == 0) {
          return;
        }
        throw new UncheckedIOException("the fault proxy stopped accepting connections", e);
      }
      Connection connection = new Connection(connections.incrementAndGet(), client);
      Thread thread = new Thread(connection, "fault-proxy-connection-" + connection.id);
      thread.setDaemon(true);
      thread.start();
    }
  }

  private synchronized Optional<Fault> takeFault(Request request) {
    for (Iterator<Rule> it = rules.iterator(); it.hasNext(); ) {
      Rule rule = it.next();
      if (rule.which.test(request)) {
        if (--rule.remaining == 0) {
          it.remove();
        }
        return Optional.of(rule.fault);
      }
    }
    return Optional.empty();
  }

  /** Waits, waking early with an exception when the proxy is closed so no thread outlives it. */
  private void pause(Duration duration) throws IOException {
    if (duration.isZero()) {
      return;
    }
    try {
      if (closed.await(duration.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new IOException("the fault proxy was closed");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while injecting a delay");
    }
  }

  private Socket register(Socket socket) throws IOException {
    sockets.add(socket);
    if (closed.getCount() == 0) {
      // close() may have run between accept() and here; it did not see this socket.
      socket.close();
      throw new IOException("the fault proxy was closed");
    }
    return socket;
  }

  /** How a client connection goes on after an exchange. */
  private enum Next {
    KEEP_OPEN,
    CLOSE,
    RESET
  }

  /** Serves one client connection, one request at a time. */
  private final class Connection implements Runnable {
    private final int id;
    private final Socket client;

    Connection(int id, Socket client) {
      this.id = id;
      this.client = client;
    }

    @Override
    public void run() {
      try {
        register(client);
        client.setTcpNoDelay(true);
        HttpInput in = new HttpInput(client.getInputStream());
        OutputStream out = new BufferedOutputStream(client.getOutputStream(), 64 * 1024);
        Next next = Next.KEEP_OPEN;
        while (next == Next.KEEP_OPEN) {
          next = serveOne(in, out);
        }
        if (next == Next.RESET) {
          client.setSoLinger(true, 0);
        } else {
          lingerUntilClientCloses(in);
        }
      } catch (IOException e) {
        // The client or the upstream went away, or the proxy closed; serveOne recorded it on the
        // exchange if one was under way. Closing the connection is all that is left to do.
      } finally {
        sockets.remove(client);
        try {
          client.close();
        } catch (IOException e) {
          // Nothing depends on this socket any more; a failed close leaves nothing to clean up.
        }
      }
    }

    private Next serveOne(HttpInput in, OutputStream out) throws IOException {
      Optional<byte[]> raw = in.readHead();
      if (raw.isEmpty()) {
        return Next.CLOSE;
      }
      Head head = Head.parseRequest(raw.get());
      Request request = new Request(head.method(), head.target(), head.headers());
      Optional<Fault> fault = takeFault(request);
      Entry entry = new Entry(id, request, fault);
      entries.add(entry);
      try {
        return serve(head, fault, in, out, entry);
      } catch (IOException | RuntimeException e) {
        entry.error = Optional.of(e.toString());
        throw e;
      }
    }

    private Next serve(
        Head head, Optional<Fault> fault, HttpInput in, OutputStream out, Entry entry)
        throws IOException {
      if (fault.isEmpty()) {
        return forward(head, in, out, out, entry);
      }
      Fault f = fault.get();
      if (f instanceof Fault.ErrorResponse error) {
        return respondWithError(head, error, in, out, entry);
      }
      if (f instanceof Fault.Reset reset) {
        if (reset.afterForward()) {
          forward(head, in, out, DISCARD, entry);
        }
        return Next.RESET;
      }
      if (f instanceof Fault.Slow slow) {
        return forward(head, in, out, new SlowOutput(out, slow), entry);
      }
      throw new AssertionError("unknown fault " + f);
    }

    /**
     * Sends the request upstream and its final response to {@code responseSink}; interim responses
     * go straight to the client, which may be waiting for one to send its body.
     */
    private Next forward(
        Head request, HttpInput in, OutputStream out, OutputStream responseSink, Entry entry)
        throws IOException {
      try (Upstream upstream = connectUpstream()) {
        upstream.out.write(request.raw());
        upstream.out.flush();
        entry.forwarded = true;
        Body body = request.requestBody();
        boolean awaitsContinue = request.expectsContinue() && body.kind() != BodyKind.NONE;
        Optional<Head> refusal = Optional.empty();
        if (awaitsContinue) {
          refusal = forwardBodyOnContinue(body, in, out, upstream);
        } else {
          in.copyBody(body, upstream.out);
          upstream.out.flush();
        }
        Head response = refusal.isPresent() ? refusal.get() : readFinalResponse(upstream.in, out);
        return relay(request, response, upstream.in, responseSink, entry, refusal.isPresent());
      }
    }

    /**
     * Waits for whichever comes first: the upstream's go-ahead (relayed to the client), or a client
     * that sends its body without waiting. Returns the upstream's final response if it refused the
     * body instead; the body then stays unread, and the connection must close after the response.
     */
    private Optional<Head> forwardBodyOnContinue(
        Body body, HttpInput in, OutputStream out, Upstream upstream) throws IOException {
      client.setSoTimeout(POLL_MILLIS);
      upstream.socket.setSoTimeout(POLL_MILLIS);
      try {
        while (!in.awaitData()) {
          if (upstream.in.awaitData()) {
            Head response = Head.parseResponse(upstream.in.readHeadOrFail("the upstream"));
            if (!response.isInterim()) {
              return Optional.of(response);
            }
            out.write(response.raw());
            out.flush();
            break;
          }
        }
      } finally {
        client.setSoTimeout(0);
        upstream.socket.setSoTimeout(0);
      }
      in.copyBody(body, upstream.out);
      upstream.out.flush();
      return Optional.empty();
    }

    /** Reads the upstream's final response head, relaying interim ones to the client. */
    private Head readFinalResponse(HttpInput upstreamIn, OutputStream out) throws IOException {
      while (true) {
        Head response = Head.parseResponse(upstreamIn.readHeadOrFail("the upstream"));
        if (!response.isInterim()) {
          return response;
        }
        out.write(response.raw());
        out.flush();
      }
    }

    private Next relay(
        Head request, Head response, HttpInput upstreamIn, OutputStream sink, Entry entry,
        boolean bodyRefused)
        throws IOException {
      Body body = response.responseBody(request.method());
      boolean toClient = sink != DISCARD;
      if (toClient) {
        pause(responseDelay);
      }
      sink.write(response.raw());
      if (toClient) {
        // Set once a slow sink has held the head back, yet before the buffered head is flushed,
        // so a client that has its response always finds the status recorded.
        entry.status = OptionalInt.of(response.status());
      }
      upstreamIn.copyBody(body, sink);
      sink.flush();
      boolean close =
          bodyRefused
              || body.kind() == BodyKind.UNTIL_CLOSE
              || response.hasToken("Connection", "close")
              || request.hasToken("Connection", "close");
      return close ? Next.CLOSE : Next.KEEP_OPEN;
    }

    private Next respondWithError(
        Head request, Fault.ErrorResponse error, HttpInput in, OutputStream out, Entry entry)
        throws IOException {
      Body body = request.requestBody();
      // A client expecting 100-continue has not sent its body and will not: answer at once and
      // close, as servers do. Any other body is read to its end so the connection stays usable.
      boolean bodyWithheld = request.expectsContinue() && body.kind() != BodyKind.NONE;
      if (!bodyWithheld) {
        in.copyBody(body, OutputStream.nullOutputStream());
      }
      boolean close = bodyWithheld || request.hasToken("Connection", "close");
      pause(responseDelay);
      entry.status = OptionalInt.of(error.status());
      out.write(errorResponse(error, request.method().equals("HEAD"), close));
      out.flush();
      return close ? Next.CLOSE : Next.KEEP_OPEN;
    }

    /**
     * Half-closes and reads until the client closes too, so that request bytes still in flight do
     * not turn the close into a reset that could hide the response from the client.
     */
    private void lingerUntilClientCloses(HttpInput in) throws IOException {
      client.shutdownOutput();
      client.setSoTimeout(LINGER_MILLIS);
      try {
        in.copyBody(new Body(BodyKind.UNTIL_CLOSE, 0), OutputStream.nullOutputStream());
      } catch (SocketTimeoutException e) {
        // The client keeps its end open; it has had its response, so closing now is fine.
      }
    }

    private Upstream connectUpstream() throws IOException {
      Socket socket = register(new Socket());
      try {
        socket.connect(new InetSocketAddress(upstreamHost, upstreamPort), CONNECT_TIMEOUT_MILLIS);
        socket.setTcpNoDelay(true);
        return new Upstream(socket);
      } catch (IOException e) {
        sockets.remove(socket);
        socket.close();
        throw e;
      }
    }
  }

  private byte[] errorResponse(Fault.ErrorResponse error, boolean headRequest, boolean close) {
    String requestId = "FAULTPROXY" + errorIds.incrementAndGet();
    byte[] body =
        ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + xml(error.code())
                + "</Code><Message>" + xml(error.message()) + "</Message><RequestId>" + requestId
                + "</RequestId><HostId>fault-proxy</HostId></Error>")
            .getBytes(UTF_8);
    String head =
        "HTTP/1.1 " + error.status() + " " + error.reason() + "\r\n"
            + "Content-Type: application/xml\r\n"
            + "Content-Length: " + body.length + "\r\n"
            + "x-amz-request-id: " + requestId + "\r\n"
            + "Date: " + HTTP_DATE.format(ZonedDateTime.now(ZoneOffset.UTC)) + "\r\n"
            + (close ? "Connection: close\r\n" : "")
            + "\r\n";
    ByteArrayOutputStream response = new ByteArrayOutputStream();
    response.writeBytes(head.getBytes(ISO_8859_1));
    if (!headRequest) {
      response.writeBytes(body);
    }
    return response.toByteArray();
  }

  private static String xml(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** One upstream connection, for one request. */
  private final class Upstream implements Closeable {
    final Socket socket;
    final HttpInput in;
    final OutputStream out;

    Upstream(Socket socket) throws IOException {
      this.socket = socket;
      this.in = new HttpInput(socket.getInputStream());
      this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    }

    @Override
    public void close() throws IOException {
      sockets.remove(socket);
      socket.close();
    }
  }

  /** Holds the response back, then writes it in slices with pauses between them. */
  private final class SlowOutput extends FilterOutputStream {
    private final Fault.Slow slow;
    private boolean started;
    private int sincePause;

    SlowOutput(OutputStream out, Fault.Slow slow) {
      super(out);
      this.slow = slow;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      if (!started) {
        pause(slow.firstByteDelay());
        started = true;
      }
      if (slow.bytesPerPause() == 0) {
        out.write(bytes, offset, length);
        return;
      }
      int off = offset;
      int left = length;
      while (left > 0) {
        if (sincePause == slow.bytesPerPause()) {
          out.flush();
          pause(slow.pause());
          sincePause = 0;
        }
        int n = Math.min(left, slow.bytesPerPause() - sincePause);
        out.write(bytes, off, n);
        off += n;
        left -= n;
        sincePause += n;
      }
    }
  }

  /** A scripted fault with the number of requests it still applies to. */
  private static final class Rule {
    int remaining;
    final Fault fault;
    final Predicate<Request> which;

    Rule(int remaining, Fault fault, Predicate<Request> which) {
      this.remaining = remaining;
      this.fault = fault;
      this.which = which;
    }
  }

  /** The recording of one exchange while it is under way. */
  private static final class Entry {
    final int connection;
    final Request request;
    final Optional<Fault> fault;
    volatile boolean forwarded;
    volatile OptionalInt status = OptionalInt.empty();
    volatile Optional<String> error = Optional.empty();

    Entry(int connection, Request request, Optional<Fault> fault) {
      this.connection = connection;
      this.request = request;
      this.fault = fault;
    }

    Exchange snapshot() {
      return new Exchange(
          connection, request.method(), request.path(), fault, forwarded, status, error);
    }
  }

  private enum BodyKind {
    NONE,
    LENGTH,
    CHUNKED,
    UNTIL_CLOSE
  }

  /** How a message body is delimited. */
  private record Body(BodyKind kind, long length) {
    static final Body NONE = new Body(BodyKind.NONE, 0);
  }

  /** A request or response head: its bytes as received, and the fields parsed from them. */
  private record Head(byte[] raw, String[] startLine, Map<String, List<String>> headers) {
    static Head parseRequest(byte[] raw) throws IOException {
      Head head = parse(raw);
      if (head.startLine.length != 3 || !head.startLine[2].startsWith("HTTP/1.")) {
        throw new IOException("malformed request line: " + String.join(" ", head.startLine));
      }
      return head;
    }

    static Head parseResponse(byte[] raw) throws IOException {
      Head head = parse(raw);
      if (head.startLine.length < 2
          || !head.startLine[0].startsWith("HTTP/1.")
          || !head.startLine[1].matches("[1-5][0-9][0-9]")) {
        throw new IOException("malformed status line: " + String.join(" ", head.startLine));
      }
      return head;
    }

    private static Head parse(byte[] raw) {
      String[] lines = new String(raw, ISO_8859_1).split("\r?\n");
      Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) {
          headers
              .computeIfAbsent(lines[i].substring(0, colon).trim(), name -> new ArrayList<>())
              .add(lines[i].substring(colon + 1).trim());
        }
      }
      return new Head(raw, lines[0].split(" ", 3), headers);
    }

    String method() {
      return startLine[0];
    }

    String target() {
      return startLine[1];
    }

    int status() {
      return Integer.parseInt(startLine[1]);
    }

    boolean isInterim() {
      return status() >= 100 && status() < 200 && status() != 101;
    }

    boolean expectsContinue() {
      return hasToken("Expect", "100-continue");
    }

    boolean hasToken(String name, String token) {
      return headers.getOrDefault(name, List.of()).stream()
          .flatMap(value -> List.of(value.split(",")).stream())
          .anyMatch(t -> t.trim().equalsIgnoreCase(token));
    }

    Body requestBody() throws IOException {
      if (headers.containsKey("Transfer-Encoding")) {
        return new Body(BodyKind.CHUNKED, 0);
      }
      return contentLength().map(n -> new Body(BodyKind.LENGTH, n)).orElse(Body.NONE);
    }

    Body responseBody(String requestMethod) throws IOException {
      int status = status();
      if (requestMethod.equals("HEAD") || status < 200 || status == 204 || status == 304) {
        return Body.NONE;
      }
      if (headers.containsKey("Transfer-Encoding")) {
        return hasToken("Transfer-Encoding", "chunked")
            ? new Body(BodyKind.CHUNKED, 0)
            : new Body(BodyKind.UNTIL_CLOSE, 0);
      }
      return contentLength()
          .map(n -> new Body(BodyKind.LENGTH, n))
          .orElse(new Body(BodyKind.UNTIL_CLOSE, 0));
    }

    private Optional<Long> contentLength() throws IOException {
      List<String> values = headers.getOrDefault("Content-Length", List.of());
      if (values.isEmpty()) {
        return Optional.empty();
      }
      try {
        long length = Long.parseLong(values.get(0));
        if (length < 0 || values.stream().anyMatch(v -> !v.equals(values.get(0)))) {
          throw new NumberFormatException();
        }
        return Optional.of(length);
      } catch (NumberFormatException e) {
        throw new IOException("bad Content-Length " + values);
      }
    }
  }

  /** A buffered input that reads message heads and copies bodies by their framing. */
  private static final class HttpInput {
    private static final int MAX_HEAD_BYTES = 64 * 1024;

    private final InputStream in;
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int limit;

    HttpInput(InputStream in) {
      this.in = in;
    }

    /**
     * Whether bytes (or the end of the stream) arrived within the socket's read timeout. A
     * timeout loses nothing: the buffer is only refilled once it is empty.
     */
    boolean awaitData() throws IOException {
      if (position < limit) {
        return true;
      }
      try {
        fill();
        return true;
      } catch (SocketTimeoutException e) {
        return false;
      }
    }

    byte[] readHeadOrFail(String from) throws IOException {
      return readHead()
          .orElseThrow(() -> new EOFException(from + " closed the connection before a response"));
    }

    /** The next head through its blank line; empty if the stream ends before its first byte. */
    Optional<byte[]> readHead() throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream(1024);
      while (true) {
        int start = head.size();
        Optional<String> line = readLine(head);
        if (line.isEmpty()) {
          if (head.size() == 0) {
            return Optional.empty();
          }
          throw new EOFException("the stream ended inside a message head");
        }
        if (isBlank(line.get())) {
          if (start > 0) {
            return Optional.of(head.toByteArray());
          }
          head.reset(); // Blank lines before a start line are to be ignored (RFC 9112, 2.2).
        }
        if (head.size() > MAX_HEAD_BYTES) {
          throw new IOException("message head longer than " + MAX_HEAD_BYTES + " bytes");
        }
      }
    }

    void copyBody(Body body, OutputStream sink) throws IOException {
      switch (body.kind()) {
        case NONE -> { }
        case LENGTH -> copy(body.length(), sink);
        case CHUNKED -> copyChunked(sink);
        case UNTIL_CLOSE -> copyToEnd(sink);
        default -> throw new AssertionError(body);
      }
    }

    private void copyChunked(OutputStream sink) throws IOException {
      while (true) {
        String sizeLine = readLineOrFail(sink);
        long size = chunkSize(sizeLine);
        if (size == 0) {
          break;
        }
        copy(size, sink);
        if (!isBlank(readLineOrFail(sink))) {
          throw new IOException("chunk of " + size + " bytes not followed by CRLF");
        }
      }
      while (!isBlank(readLineOrFail(sink))) {
        // Trailer fields, copied as they are.
      }
    }

    private static long chunkSize(String line) throws IOException {
      int extension = line.indexOf(';');
      String hex = (extension < 0 ? line : line.substring(0, extension)).trim();
      try {
        return Long.parseLong(hex, 16);
      } catch (NumberFormatException e) {
        throw new IOException("bad chunk size line: " + line.trim());
      }
    }

    private void copy(long count, OutputStream sink) throws IOException {
      long left = count;
      while (left > 0) {
        if (position == limit && !fill()) {
          throw new EOFException("the stream ended " + left + " bytes before the body's end");
        }
        int n = (int) Math.min(left, limit - position);
        sink.write(buffer, position, n);
        position += n;
        left -= n;
      }
    }

    private void copyToEnd(OutputStream sink) throws IOException {
      while (position < limit || fill()) {
        sink.write(buffer, position, limit - position);
        position = limit;
      }
    }

    private String readLineOrFail(OutputStream sink) throws IOException {
      return readLine(sink).orElseThrow(() -> new EOFException("the stream ended inside a body"));
    }

    /** One line through its LF, copied to {@code sink}; empty at the end of the stream. */
    private Optional<String> readLine(OutputStream sink) throws IOException {
      StringBuilder line = new StringBuilder();
      while (true) {
        if (position == limit && !fill()) {
          if (line.length() == 0) {
            return Optional.empty();
          }
          throw new EOFException("the stream ended inside a line");
        }
        int start = position;
        while (position < limit && buffer[position] != '\n') {
          position++;
        }
        boolean complete = position < limit;
        if (complete) {
          position++;
        }
        sink.write(buffer, start, position - start);
        line.append(new String(buffer, start, position - start, ISO_8859_1));
        if (complete) {
          return Optional.of(line.toString());
        }
        if (line.length() > MAX_HEAD_BYTES) {
          throw new IOException("line longer than " + MAX_HEAD_BYTES + " bytes");
        }
      }
    }

    private static boolean isBlank(String line) {
      return line.equals("\r\n") || line.equals("\n");
    }

    /** Refills the empty buffer; false at the end of the stream. */
    private boolean fill() throws IOException {
      int n = in.read(buffer);
      if (n < 0) {
        return false;
      }
      position = 0;
      limit = n;
      return true;
    }
  }
}
