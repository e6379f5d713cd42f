package io.geneva.storage.s3;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * Replaces real responses with S3 errors, as a client would see them: the server did the work (an
 * upload was stored, say) and the client is told otherwise, the way a lost response or a throttling
 * proxy behaves.
 */
final class FaultInjector implements ExecutionInterceptor {
  private static final ExecutionAttribute<Fault> FAULT = new ExecutionAttribute<>("geneva.test.fault");

  private record Fault(Predicate<SdkHttpRequest> when, AtomicInteger remaining, int status, String code,
      Map<String, String> headers) {}

  private final List<Fault> faults = new CopyOnWriteArrayList<>();
  private final AtomicInteger injected = new AtomicInteger();

  /** The next {@code times} responses to matching requests become this error. */
  FaultInjector inject(Predicate<SdkHttpRequest> when, int times, int status, String code, Map<String, String> headers) {
    faults.add(new Fault(when, new AtomicInteger(times), status, code, headers));
    return this;
  }

  int injected() {
    return injected.get();
  }

  static Predicate<SdkHttpRequest> method(String method) {
    return r -> r.method().name().equals(method);
  }

  static Predicate<SdkHttpRequest> withHeader(String header) {
    return r -> r.firstMatchingHeader(header).isPresent();
  }

  @Override
  public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
    for (Fault f : faults) {
      if (f.when().test(context.httpRequest()) && f.remaining().getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        injected.incrementAndGet();
        attributes.putAttribute(FAULT, f);
        SdkHttpResponse.Builder response = SdkHttpResponse.builder()
            .statusCode(f.status())
            .statusText("Injected")
            .putHeader("Content-Type", "application/xml")
            .putHeader("x-amz-request-id", "INJECTED");
        f.headers().forEach(response::putHeader);
        return response.build();
      }
    }
    attributes.putAttribute(FAULT, null);
    return context.httpResponse();
  }

  @Override
  public Optional<InputStream> modifyHttpResponseContent(
      Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
    Fault f = attributes.getAttribute(FAULT);
    if (f == null) {
      return context.responseBody();
    }
    attributes.putAttribute(FAULT, null);
    context.responseBody().ifPresent(FaultInjector::closeQuietly);
    if (context.httpRequest().method().name().equals("HEAD")) {
      return Optional.empty();
    }
    String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + f.code() + "</Code><Message>injected "
        + f.code() + "</Message><RequestId>INJECTED</RequestId></Error>";
    return Optional.of(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // the real response is dropped
    }
  }
}
