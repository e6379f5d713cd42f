package io.geneva.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.geneva.FixtureFiles;
import io.geneva.storage.s3.FaultProxy.Exchange;
import io.geneva.storage.s3.FaultProxy.Fault;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fault proxy between real sockets: a JDK HTTP server upstream that echoes what it received,
 * and the JDK's HTTP clients.
 */
@Timeout(30)
class FaultProxyTest {
  private static final byte[] TWELVE_MIB = FixtureFiles.randomBytes(12, 12 * 1024 * 1024);

  /** A request as the upstream saw it. */
  private record Seen(String method, String path, Map<String, List<String>> headers, String body) {
    Optional<String> header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst();
    }
  }

  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private ExecutorService upstreamThreads;
  private HttpServer upstream;
  private FaultProxy proxy;
  private HttpClient client;

  @BeforeEach
  void start() throws IOException {
    upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    upstream.createContext("/", this::answer);
    upstreamThreads = Executors.newCachedThreadPool();
    upstream.setExecutor(upstreamThreads);
    upstream.start();
    proxy = FaultProxy.start(URI.create("http://127.0.0.1:" + upstream.getAddress().getPort()));
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterEach
  void stop() {
    proxy.close();
    upstream.stop(0);
    upstreamThreads.shutdownNow();
  }

  /**
   * Echoes {@code METHOD PATH LENGTH SHA256} of the request, or for {@code /download/N} answers N
   * bytes in a chunked response.
   */
  private void answer(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    String method = exchange.getRequestMethod();
    URI uri = exchange.getRequestURI();
    String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    String echo = method + " " + path + " " + body.length + " " + FixtureFiles.sha256(body);
    seen.add(new Seen(method, path, Map.copyOf(exchange.getRequestHeaders()), echo));
    if (path.startsWith("/download/")) {
      exchange.sendResponseHeaders(200, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(download(Integer.parseInt(path.substring("/download/".length()))));
      }
      return;
    }
    byte[] answer = echo.getBytes();
    exchange.sendResponseHeaders(200, method.equals("HEAD") ? -1 : answer.length);
    try (OutputStream out = exchange.getResponseBody()) {
      if (!method.equals("HEAD")) {
        out.write(answer);
      }
    }
  }

  private static byte[] download(int size) {
    return FixtureFiles.randomBytes(size, size);
  }

  private static String echo(String method, String path, byte[] body) {
    return method + " " + path + " " + body.length + " " + FixtureFiles.sha256(body);
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(proxy.uri().resolve(path)).timeout(Duration.ofSeconds(10));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return client.send(request.build(), BodyHandlers.ofString());
  }

  private HttpResponse<String> put(String path, byte[] body) throws Exception {
    return send(request(path).PUT(BodyPublishers.ofByteArray(body)));
  }

  private List<String> exchanges() {
    return proxy.requests().stream().map(Exchange::toString).toList();
  }

  @Test
  void requestsAndResponses_passThroughIntact_onOneKeepAliveConnection() throws Exception {
    HttpResponse<String> get = send(request("/bucket/key?list-type=2&prefix=a%2Fb"));
    HttpResponse<String> put = put("/bucket/big", TWELVE_MIB);
    HttpResponse<String> head = send(request("/bucket/big").method("HEAD", BodyPublishers.noBody()));
    HttpResponse<byte[]> chunked =
        client.send(request("/download/300000").build(), BodyHandlers.ofByteArray());
    HttpResponse<String> post = send(request("/bucket/key?uploads").POST(BodyPublishers.ofString("x")));

    assertThat(get.body()).isEqualTo(echo("GET", "/bucket/key?list-type=2&prefix=a%2Fb", new byte[0]));
    assertThat(put.body()).isEqualTo(echo("PUT", "/bucket/big", TWELVE_MIB));
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(chunked.body()).isEqualTo(download(300000));
    assertThat(post.body()).isEqualTo(echo("POST", "/bucket/key?uploads", "x".getBytes()));
    assertThat(seen.get(0).header("Host")).contains(proxy.uri().getAuthority());
    assertThat(proxy.requests())
        .allSatisfy(e -> assertThat(e.connection()).isEqualTo(1))
        .allSatisfy(e -> assertThat(e.forwarded()).isTrue());
    assertThat(exchanges())
        .containsExactly(
            "GET /bucket/key?list-type=2&prefix=a%2Fb -> 200",
            "PUT /bucket/big -> 200",
            "HEAD /bucket/big -> 200",
            "GET /download/300000 -> 200",
            "POST /bucket/key?uploads -> 200");
  }

  @Test
  void chunkedUpload_passesThroughIntact_andTheConnectionStaysUsable() throws Exception {
    HttpURLConnection upload = open("/bucket/chunked");
    upload.setRequestMethod("PUT");
    upload.setDoOutput(true);
    upload.setChunkedStreamingMode(64 * 1024);
    try (OutputStream out = upload.getOutputStream()) {
      out.write(TWELVE_MIB);
    }
    String uploaded = readBody(upload);
    String after = readBody(open("/bucket/after"));

    assertThat(uploaded).isEqualTo(echo("PUT", "/bucket/chunked", TWELVE_MIB));
    assertThat(seen.get(0).header("Transfer-Encoding")).contains("chunked");
    assertThat(after).isEqualTo(echo("GET", "/bucket/after", new byte[0]));
    assertThat(proxy.requests()).extracting(Exchange::connection).containsExactly(1, 1);
  }

  private HttpURLConnection open(String path) throws IOException {
    HttpURLConnection connection =
        (HttpURLConnection) proxy.uri().resolve(path).toURL().openConnection();
    connection.setConnectTimeout(10_000);
    connection.setReadTimeout(10_000);
    return connection;
  }

  private static String readBody(HttpURLConnection connection) throws IOException {
    assertThat(connection.getResponseCode()).isEqualTo(200);
    try (InputStream in = connection.getInputStream()) {
      return new String(in.readAllBytes());
    }
  }

  @Test
  void failNextSlowDown_answersTwo503sWithAnS3ErrorDocument_thenTheUpstreamAnswers() throws Exception {
    byte[] body = FixtureFiles.randomBytes(3, 1024 * 1024);
    proxy.failNext(2, Fault.SLOW_DOWN);

    HttpResponse<String> first = put("/bucket/key", body);
    HttpResponse<String> second = put("/bucket/key", body);
    HttpResponse<String> third = put("/bucket/key", body);

    for (HttpResponse<String> refused : List.of(first, second)) {
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.headers().firstValue("Content-Type")).contains("application/xml");
      assertThat(refused.body()).contains("<Error><Code>SlowDown</Code><Message>");
    }
    assertThat(third.body()).isEqualTo(echo("PUT", "/bucket/key", body));
    assertThat(seen).hasSize(1);
    assertThat(exchanges())
        .containsExactly(
            "PUT /bucket/key -> 503 (503 SlowDown)",
            "PUT /bucket/key -> 503 (503 SlowDown)",
            "PUT /bucket/key -> 200");
    // The faked answers read the body to its end, so the client kept its connection.
    assertThat(proxy.requests()).extracting(Exchange::connection).containsOnly(1);
  }

  @Test
  void internalErrorAndServiceUnavailable_carryTheirS3ErrorCodes() throws Exception {
    proxy.failNext(1, Fault.INTERNAL_ERROR);
    proxy.failNext(1, Fault.SERVICE_UNAVAILABLE);

    HttpResponse<String> internal = send(request("/bucket/a"));
    HttpResponse<String> unavailable = send(request("/bucket/b"));

    assertThat(internal.statusCode()).isEqualTo(500);
    assertThat(internal.body()).contains("<Code>InternalError</Code>");
    assertThat(unavailable.statusCode()).isEqualTo(503);
    assertThat(unavailable.body()).contains("<Code>ServiceUnavailable</Code>");
    assertThat(seen).isEmpty();
  }

  @Test
  void reset_failsTheClientWithAnIOException_andNeverReachesTheUpstream() throws Exception {
    proxy.failNext(1, Fault.RESET);

    assertThatThrownBy(() -> put("/bucket/key", TWELVE_MIB)).isInstanceOf(IOException.class);
    HttpResponse<String> retry = put("/bucket/key", new byte[10]);

    assertThat(retry.statusCode()).isEqualTo(200);
    assertThat(seen).extracting(Seen::body).containsExactly(echo("PUT", "/bucket/key", new byte[10]));
    assertThat(proxy.requests().get(0).forwarded()).isFalse();
    assertThat(exchanges())
        .containsExactly("PUT /bucket/key -> no response (RESET)", "PUT /bucket/key -> 200");
  }

  @Test
  void resetAfterForward_letsTheUpstreamProcessTheRequest_butFailsTheClient() throws Exception {
    byte[] body = FixtureFiles.randomBytes(4, 100_000);
    proxy.failNext(1, Fault.RESET_AFTER_FORWARD);

    assertThatThrownBy(() -> put("/bucket/key", body)).isInstanceOf(IOException.class);

    assertThat(seen).extracting(Seen::body).containsExactly(echo("PUT", "/bucket/key", body));
    assertThat(proxy.requests().get(0).forwarded()).isTrue();
    assertThat(exchanges()).containsExactly("PUT /bucket/key -> no response (RESET_AFTER_FORWARD)");
  }

  @Test
  void predicate_faultsOnlyTheRequestsItSelects() throws Exception {
    proxy.failNext(1, Fault.INTERNAL_ERROR, r -> r.method().equals("PUT"));
    proxy.failNext(1, Fault.SLOW_DOWN, r -> r.header("x-amz-meta-mark").isPresent());

    HttpResponse<String> get = send(request("/bucket/key"));
    HttpResponse<String> faultedPut = put("/bucket/key", new byte[5]);
    HttpResponse<String> put = put("/bucket/key", new byte[5]);
    HttpResponse<String> marked = send(request("/bucket/key").header("X-Amz-Meta-Mark", "1"));

    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(faultedPut.statusCode()).isEqualTo(500);
    assertThat(put.statusCode()).isEqualTo(200);
    assertThat(marked.statusCode()).isEqualTo(503);
    assertThat(exchanges())
        .containsExactly(
            "GET /bucket/key -> 200",
            "PUT /bucket/key -> 500 (500 InternalError)",
            "PUT /bucket/key -> 200",
            "GET /bucket/key -> 503 (503 SlowDown)");
  }

  @Test
  void delayEveryResponse_holdsRelayedAndFakedResponses_untilNoDelay() throws Exception {
    Duration delay = Duration.ofMillis(400);
    send(request("/warm-up"));
    proxy.delayEveryResponse(delay);
    proxy.failNext(1, Fault.INTERNAL_ERROR);

    Duration faked = timed(() -> send(request("/bucket/a")));
    Duration relayed = timed(() -> send(request("/bucket/b")));
    proxy.noDelay();
    Duration undelayed = timed(() -> send(request("/bucket/c")));

    assertThat(faked).isGreaterThanOrEqualTo(delay);
    assertThat(relayed).isGreaterThanOrEqualTo(delay);
    assertThat(undelayed).isLessThan(delay);
  }

  @Test
  void slow_holdsTheFirstByteBack_soAClientTimeoutFires() throws Exception {
    proxy.failNext(1, Fault.slow(Duration.ofSeconds(20)));

    assertThatThrownBy(() -> send(request("/bucket/key").timeout(Duration.ofMillis(300))))
        .isInstanceOf(HttpTimeoutException.class);

    assertThat(seen).hasSize(1);
    assertThat(proxy.requests().get(0).forwarded()).isTrue();
  }

  @Test
  void slowWithPauses_dribblesTheResponseIntact() throws Exception {
    proxy.failNext(1, Fault.slow(Duration.ofMillis(100), 4_000, Duration.ofMillis(100)));

    long start = System.nanoTime();
    HttpResponse<byte[]> response =
        client.send(request("/download/20000").build(), BodyHandlers.ofByteArray());
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

    assertThat(response.body()).isEqualTo(download(20000));
    // 100 ms before the first byte, then a pause before each further 4,000 bytes.
    assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(500));
  }

  @Test
  void expectContinue_relaysTheInterimResponse_thenTheBody() throws Exception {
    byte[] body = FixtureFiles.randomBytes(5, 1024 * 1024);

    HttpResponse<String> sized =
        send(request("/bucket/sized").expectContinue(true).PUT(BodyPublishers.ofByteArray(body)));
    HttpResponse<String> chunked =
        send(
            request("/bucket/chunked")
                .expectContinue(true)
                .PUT(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));

    assertThat(sized.body()).isEqualTo(echo("PUT", "/bucket/sized", body));
    assertThat(chunked.body()).isEqualTo(echo("PUT", "/bucket/chunked", body));
    assertThat(seen)
        .allSatisfy(s -> assertThat(s.header("Expect")).hasValueSatisfying(
            v -> assertThat(v).isEqualToIgnoringCase("100-continue")));
    assertThat(seen.get(1).header("Transfer-Encoding")).contains("chunked");
  }

  @Test
  void expectContinue_relaysTheUpstreamsInterimResponse_beforeTheBodyIsSent() throws Exception {
    try (Socket socket = rawConnection()) {
      OutputStream out = socket.getOutputStream();
      out.write(putHead("/bucket/key", 5, "Expect: 100-continue\r\n"));
      out.flush();
      String interim = readHead(socket.getInputStream());
      out.write("hello".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String response = readHead(socket.getInputStream());

      assertThat(interim).startsWith("HTTP/1.1 100");
      assertThat(response).startsWith("HTTP/1.1 200");
    }
    assertThat(seen).extracting(Seen::body).containsExactly(echo("PUT", "/bucket/key", "hello".getBytes()));
  }

  // A raw client, because the JDK 17 HttpClient hangs when the answer to Expect: 100-continue is
  // not 100 (JDK-8286171).
  @Test
  void expectContinue_withAFakedError_answersWithoutWaitingForTheBody_andCloses() throws Exception {
    proxy.failNext(1, Fault.SLOW_DOWN);

    String response;
    try (Socket socket = rawConnection()) {
      socket.getOutputStream().write(putHead("/bucket/key", 1024 * 1024, "Expect: 100-continue\r\n"));
      socket.getOutputStream().flush();
      response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    assertThat(response)
        .startsWith("HTTP/1.1 503 ")
        .contains("Connection: close\r\n", "Content-Type: application/xml\r\n")
        .endsWith("</Error>")
        .contains("<Code>SlowDown</Code>");
    assertThat(seen).isEmpty();
  }

  private Socket rawConnection() throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.uri().getPort());
    socket.setSoTimeout(10_000);
    return socket;
  }

  private byte[] putHead(String path, int contentLength, String extraHeaders) {
    return ("PUT " + path + " HTTP/1.1\r\nHost: " + proxy.uri().getAuthority() + "\r\n"
            + "Content-Length: " + contentLength + "\r\n" + extraHeaders + "\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** Reads through the blank line that ends a message head. */
  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (head.indexOf("\r\n\r\n") < 0) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed inside a head: " + head);
      }
      head.append((char) b);
    }
    return head.toString();
  }

  @Test
  void close_isIdempotent_andRefusesNewConnections() {
    proxy.close();
    proxy.close();

    assertThatThrownBy(() -> send(request("/bucket/key"))).isInstanceOf(IOException.class);
  }

  /** Something to time that may throw. */
  private interface Call {
    void run() throws Exception;
  }

  private static Duration timed(Call call) throws Exception {
    long start = System.nanoTime();
    call.run();
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
