package io.geneva.storage.s3;

import io.geneva.StorageException;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns the SDK's exceptions into {@link StorageException}s with one clear line: what was being done
 * to which object, what S3 said (status and error code only), and what to do about it. Messages are
 * built from the bucket, object name, endpoint, status and error code; the SDK's request and
 * response are never quoted, so credentials, tokens and signatures cannot leak into them.
 */
final class S3Failures {
  private static final Set<String> CREDENTIAL_CODES = Set.of(
      "AccessDenied", "SignatureDoesNotMatch", "InvalidAccessKeyId", "ExpiredToken", "InvalidToken",
      "TokenRefreshRequired", "InvalidSecurity", "AllAccessDisabled", "AccountProblem");
  private static final Set<String> REGION_CODES = Set.of(
      "PermanentRedirect", "AuthorizationHeaderMalformed", "IllegalLocationConstraintException",
      "AuthorizationQueryParametersError", "Redirect", "TemporaryRedirect");
  private static final Pattern EXPECTED_REGION = Pattern.compile("expecting '([a-z0-9-]+)'");

  private final S3Root root;
  private final String endpoint;
  private final String region;

  /**
   * @param endpoint how to name the endpoint in messages
   * @param region the region the client signs for
   */
  S3Failures(S3Root root, String endpoint, String region) {
    this.root = root;
    this.endpoint = endpoint;
    this.region = region;
  }

  /** The endpoint as messages name it. */
  String endpoint() {
    return endpoint;
  }

  /**
   * The storage exception for a failed request.
   *
   * @param action what was being done, as a verb phrase: "upload", "read", "check", "list", "delete"
   * @param objectName the S3 object name (or listing prefix) it was done to
   */
  StorageException of(String action, String objectName, SdkException e) {
    String target = root.describe(objectName);
    if (e instanceof AwsServiceException service) {
      return service(action, target, service);
    }
    return client(action, target, e);
  }

  private StorageException service(String action, String target, AwsServiceException e) {
    int status = e.statusCode();
    String code = code(e).orElse("");
    String said = status + (code.isEmpty() ? "" : " " + code);
    if (code.equals("NoSuchBucket")) {
      return new StorageException(
          "bucket " + root.bucket() + " does not exist at " + endpoint + " (" + said + " on " + action + " "
              + target + "); create it or fix the storage root " + root.uri(),
          e, false);
    }
    if (REGION_CODES.contains(code) || status == 301 || status == 307) {
      Optional<String> expected = expectedRegion(e);
      String fix = expected.isPresent() && !expected.get().equals(region)
          ? "it is in region " + expected.get() + ": set AWS_REGION=" + expected.get()
          : "set AWS_REGION to the bucket's region, or fix the endpoint (AWS_ENDPOINT_URL_S3)";
      return new StorageException(
          "bucket " + root.bucket() + " is not served by " + endpoint + " for region " + region + " (" + said
              + " on " + action + " " + target + "); " + fix,
          e, false);
    }
    if (status == 403 || CREDENTIAL_CODES.contains(code)) {
      return new StorageException(
          "access to " + target + " at " + endpoint + " was denied (" + said + " on " + action + "); check the"
              + " AWS credentials (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or the instance or"
              + " container role) and that they may read and write bucket " + root.bucket(),
          e, false);
    }
    if (retryable(e)) {
      return new StorageException(
          "S3 at " + endpoint + " failed to " + action + " " + target + " (" + said + ")" + attempts(e)
              + "; it is throttling or unavailable, try again later",
          e, true);
    }
    return new StorageException(
        "S3 at " + endpoint + " refused to " + action + " " + target + " (" + said + ")", e, false);
  }

  private StorageException client(String action, String target, SdkException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    if (e instanceof SdkClientException && message.startsWith("Unable to load credentials")) {
      return new StorageException(
          "no AWS credentials found to " + action + " " + target + "; set AWS_ACCESS_KEY_ID and"
              + " AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or run with an instance or container role",
          e, false);
    }
    Throwable io = ioCause(e);
    if (io != null) {
      return new StorageException(
          "cannot reach S3 at " + endpoint + " to " + action + " " + target + " (" + describe(io) + ")"
              + attempts(e) + "; check the endpoint (AWS_ENDPOINT_URL_S3), the network, and try again",
          e, true);
    }
    return new StorageException(
        "the S3 client failed to " + action + " " + target + " at " + endpoint + " ("
            + e.getClass().getSimpleName() + ")",
        e, e.retryable());
  }

  /** The S3 error code, if the response had one (a HEAD response has no body, so none). */
  static Optional<String> code(AwsServiceException e) {
    if (e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null) {
      return Optional.empty();
    }
    return Optional.of(e.awsErrorDetails().errorCode());
  }

  /** Whether the SDK's retry strategy would have retried this (it did, and gave up). */
  static boolean retryable(AwsServiceException e) {
    int status = e.statusCode();
    return e.isThrottlingException() || status == 500 || status == 502 || status == 503 || status == 504
        || status == 429 || status == 408;
  }

  private Optional<String> expectedRegion(AwsServiceException e) {
    if (e.awsErrorDetails() != null && e.awsErrorDetails().sdkHttpResponse() != null) {
      Optional<String> header = e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-bucket-region");
      if (header.isPresent()) {
        return header;
      }
    }
    String serverMessage = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
    if (serverMessage != null) {
      Matcher m = EXPECTED_REGION.matcher(serverMessage);
      if (m.find()) {
        return Optional.of(m.group(1));
      }
    }
    return Optional.empty();
  }

  private static Throwable ioCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.io.IOException) {
        return t;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  /** An I/O failure as class and message: a host and port, never anything signed. */
  private static String describe(Throwable io) {
    return io.getClass().getSimpleName() + (io.getMessage() == null ? "" : ": " + io.getMessage());
  }

  private static String attempts(SdkException e) {
    Integer n = e.numAttempts();
    return n == null || n <= 1 ? "" : " after " + n + " attempts";
  }
}
