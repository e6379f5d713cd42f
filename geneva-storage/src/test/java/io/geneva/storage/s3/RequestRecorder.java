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

  /** One request that got a response. */
  record Exchange(String method, String path, Set<String> query, Optional<String> range, boolean ifNoneMatch,
      int status) {
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
        context.httpResponse().statusCode());
    synchronized (exchanges) {
      exchanges.add(e);
    }
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
