package io.geneva.storage.s3;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/** Records every HTTP exchange a client makes: what was sent, and the status the server answered. */
final class RequestRecorder implements ExecutionInterceptor {

  /**
   * One request that got a response.
   *
   * @param payloadHash the {@code x-amz-content-sha256} the request was signed with
   * @param signedHeaders the headers its signature covers (from {@code Authorization}; never the
   *     signature itself)
   */
  record Exchange(String method, String path, Set<String> query, Optional<String> range, boolean ifNoneMatch,
      int status, String payloadHash, Set<String> signedHeaders) {
    boolean is(String method, String queryParameter) {
      return this.method.equals(method) && (queryParameter == null ? query.isEmpty() : query.contains(queryParameter));
    }
  }

  private final List<Exchange> exchanges = new ArrayList<>();
  private final AtomicInteger attempts = new AtomicInteger();

  @Override
  public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
    attempts.incrementAndGet();
  }

  @Override
  public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
    SdkHttpRequest r = context.httpRequest();
    Exchange e = new Exchange(r.method().name(), r.encodedPath(), new TreeSet<>(r.rawQueryParameters().keySet()),
        r.firstMatchingHeader("Range"), r.firstMatchingHeader("If-None-Match").isPresent(),
        context.httpResponse().statusCode(), r.firstMatchingHeader("x-amz-content-sha256").orElse(""),
        signedHeaders(r.firstMatchingHeader("Authorization").orElse("")));
    synchronized (exchanges) {
      exchanges.add(e);
    }
  }

  private static Set<String> signedHeaders(String authorization) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("SignedHeaders=([^,]*)").matcher(authorization);
    return m.find() ? new TreeSet<>(List.of(m.group(1).split(";"))) : Set.of();
  }

  /** Requests sent, including those that got no response. */
  int attempts() {
    return attempts.get();
  }

  List<Exchange> exchanges() {
    synchronized (exchanges) {
      return List.copyOf(exchanges);
    }
  }

  List<Exchange> matching(Predicate<Exchange> p) {
    return exchanges().stream().filter(p).toList();
  }

  void clear() {
    synchronized (exchanges) {
      exchanges.clear();
    }
    attempts.set(0);
  }
}
