package io.geneva.storage.s3;

import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.scheme.AuthScheme;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignedRequest;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.IdentityProviders;

/**
 * SigV4 that does not hash a body again when the request already carries its SHA-256.
 *
 * <p>Over plain HTTP the SDK always signs the payload: for an upload that means an {@code
 * aws-chunked} body with a SHA-256 and an HMAC per 128 KiB chunk, computed by the client and checked
 * again by the server. Geneva's uploads already declare the SHA-256 of their content in {@code
 * x-amz-checksum-sha256}, a header the signature covers and the server checks the body against. So
 * such a request is signed as the SDK signs it over HTTPS ({@code UNSIGNED-PAYLOAD}, no chunk
 * encoding): the body is still bound to the signature, through the signed checksum, and neither side
 * hashes it twice. Every other request is signed exactly as the SDK would.
 */
final class DeclaredChecksumSigner implements HttpSigner<AwsCredentialsIdentity> {
  private static final String DECLARED_CHECKSUM = "x-amz-checksum-sha256";

  private final HttpSigner<AwsCredentialsIdentity> v4 = AwsV4HttpSigner.create();

  /** The SigV4 auth scheme, with this signer. */
  static AuthScheme<AwsCredentialsIdentity> scheme() {
    DeclaredChecksumSigner signer = new DeclaredChecksumSigner();
    return new AuthScheme<>() {
      @Override
      public String schemeId() {
        return AwsV4AuthScheme.SCHEME_ID;
      }

      @Override
      public IdentityProvider<AwsCredentialsIdentity> identityProvider(IdentityProviders providers) {
        return providers.identityProvider(AwsCredentialsIdentity.class);
      }

      @Override
      public HttpSigner<AwsCredentialsIdentity> signer() {
        return signer;
      }
    };
  }

  @Override
  public SignedRequest sign(SignRequest<? extends AwsCredentialsIdentity> request) {
    SdkHttpRequest http = request.request();
    if (!declaresChecksum(http)) {
      return v4.sign(request);
    }
    SignedRequest signed = v4.sign(request.copy(r -> r
        .request(http.toBuilder().protocol("https").build())
        .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false)
        .putProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, false)));
    // The protocol is not part of a SigV4 signature; the request goes out the way it was addressed.
    return signed.copy(r -> r.request(signed.request().toBuilder().protocol(http.protocol()).build()));
  }

  @Override
  public CompletableFuture<AsyncSignedRequest> signAsync(AsyncSignRequest<? extends AwsCredentialsIdentity> request) {
    return v4.signAsync(request); // Geneva's client is synchronous
  }

  private static boolean declaresChecksum(SdkHttpRequest http) {
    return "http".equals(http.protocol()) && http.firstMatchingHeader(DECLARED_CHECKSUM).isPresent();
  }
}
