package io.geneva.storage.s3;

import io.geneva.IntegrityException;
import io.geneva.StorageException;
import io.geneva.spi.Content;
import io.geneva.spi.ObjectKey;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Writes objects: one PutObject up to the multipart threshold, a multipart upload above it, each
 * with a SHA-256 checksum the server checks, and the content verified against its declared size and
 * digest before the object can become visible.
 *
 * <p>Packages are created conditionally ({@code If-None-Match: *}): a 412 means another writer got
 * there first, which for a content-addressed key is success once a HEAD confirms the stored object
 * (same size and, where the server keeps one, the expected checksum); an object that cannot be
 * confirmed is overwritten, so a truncated or corrupt object is repaired. A server that rejects the
 * header is remembered and gets plain puts. Manifests are always plain puts: writing one again must
 * renew its age.
 *
 * <p>Thread-safe.
 */
final class Uploader {
  private static final Logger LOG = LoggerFactory.getLogger(Uploader.class);
  private static final String OCTETS = "application/octet-stream";
  private static final int MAX_PARTS = 10_000;

  private final S3Context s3;
  /** Bounds the part buffers of all multipart uploads of this storage together. */
  private final Semaphore partBuffers;
  private final AtomicBoolean conditionalWrites = new AtomicBoolean(true);

  Uploader(S3Context s3) {
    this.s3 = s3;
    this.partBuffers = new Semaphore(s3.concurrency);
  }

  /** Whether conditional creates are still in use (false once the server rejected them). */
  boolean conditionalWrites() {
    return conditionalWrites.get();
  }

  /**
   * Writes an object.
   *
   * @param checksum the base64 SHA-256 to declare for a single-request upload, or null to let the
   *     SDK compute it from the bytes it sends
   */
  void put(ObjectKey key, Content content, @Nullable String checksum) {
    boolean conditional = key.path().startsWith(ObjectKey.PACKAGES) && conditionalWrites.get();
    if (content.size() > s3.multipartThreshold) {
      multipart(key, content, conditional);
    } else {
      single(key, content, checksum, conditional);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // One request
  // ---------------------------------------------------------------------------------------------

  private void single(ObjectKey key, Content content, @Nullable String checksum, boolean conditional) {
    String name = s3.root.name(key);
    if (content.size() == 0) {
      try (VerifiedContent empty = VerifiedContent.open(key, content)) {
        empty.verifyEmpty();
      } catch (VerifiedContent.Failure f) {
        throw f.toStorageFailure();
      } catch (java.io.IOException ignored) {
        // closing a stream we read to its end
      }
    }
    AtomicReference<VerifiedContent> sent = new AtomicReference<>();
    // A file whose SHA-256 the request declares goes as a file body: the server refuses bytes that
    // do not match (400 BadDigest, mapped to IntegrityException), and the SDK reads a file far more
    // cheaply than a stream (a quarter off the corpus's cold upload). Anything else is streamed
    // through VerifiedContent, which checks size and digest before the last bytes leave.
    RequestBody body = checksum != null && content.file().isPresent()
        ? RequestBody.fromFile(content.file().get())
        : RequestBody.fromContentProvider(() -> {
          VerifiedContent stream = VerifiedContent.open(key, content);
          sent.set(stream);
          return stream;
        }, content.size(), OCTETS);
    try {
      PutObjectResponse response = s3.client.putObject(putRequest(name, content.size(), checksum, conditional), body);
      checkEcho(key, name, response.checksumSHA256(), expectedChecksum(checksum, content));
      LOG.debug("stored {} ({} bytes)", name, content.size());
    } catch (VerifiedContent.Failure f) {
      throw f.toStorageFailure();
    } catch (S3Exception e) {
      if (conditional && e.statusCode() == 412) {
        LOG.debug("{} was already created by another writer", name);
        verifyUnsent(key, content, sent.get());
        confirmOrOverwrite(key, content, expectedChecksum(checksum, content), null);
      } else if (conditional && rejectsConditionalWrites(e)) {
        disableConditionalWrites(e);
        single(key, content, checksum, false);
      } else {
        throw uploadFailure(key, name, e);
      }
    } catch (SdkException e) {
      throw uploadFailure(key, name, e);
    }
  }

  private PutObjectRequest putRequest(String name, long size, @Nullable String checksum, boolean conditional) {
    PutObjectRequest.Builder request = PutObjectRequest.builder()
        .bucket(s3.bucket())
        .key(name)
        .contentLength(size)
        .contentType(OCTETS)
        .checksumAlgorithm(ChecksumAlgorithm.SHA256);
    if (checksum != null) {
      request.checksumSHA256(checksum); // S3 checks the bytes against it; the SDK need not hash them
    }
    if (conditional) {
      request.ifNoneMatch("*");
    }
    return request.build();
  }

  /**
   * A server may refuse a conditional create as soon as it has the headers, before the content was
   * read to its end and verified: the caller is still owed that check.
   */
  private static void verifyUnsent(ObjectKey key, Content content, @Nullable VerifiedContent sent) {
    if (sent != null && sent.verified()) {
      return;
    }
    try (VerifiedContent again = VerifiedContent.open(key, content)) {
      byte[] buffer = new byte[64 * 1024];
      while (again.read(buffer, 0, buffer.length) != -1) {
        // reading verifies
      }
    } catch (VerifiedContent.Failure f) {
      throw f.toStorageFailure();
    } catch (java.io.IOException ignored) {
      // closing a stream read to its end
    }
  }

  private static String expectedChecksum(@Nullable String declared, Content content) {
    return declared != null ? declared : Checksums.base64OfHex(content.sha256());
  }

  // ---------------------------------------------------------------------------------------------
  // Multipart
  // ---------------------------------------------------------------------------------------------

  private void multipart(ObjectKey key, Content content, boolean conditional) {
    String name = s3.root.name(key);
    long size = content.size();
    long partSize = Math.max(s3.partSize, (size + MAX_PARTS - 1) / MAX_PARTS);
    if (partSize > Integer.MAX_VALUE - 8) {
      throw new StorageException("content for " + key + " is too large for one object (" + size + " bytes)");
    }
    String uploadId;
    try {
      uploadId = s3.client
          .createMultipartUpload(b -> b.bucket(s3.bucket()).key(name).contentType(OCTETS)
              .checksumAlgorithm(ChecksumAlgorithm.SHA256))
          .uploadId();
    } catch (SdkException e) {
      throw s3.failures.of("start the upload of", name, e);
    }
    List<CompletedPart> parts;
    try {
      parts = uploadParts(key, name, uploadId, content, (int) partSize);
    } catch (RuntimeException e) {
      abort(name, uploadId, e);
      throw e instanceof VerifiedContent.Failure f ? f.toStorageFailure() : e;
    }
    String composite = Checksums.composite(parts.stream().map(CompletedPart::checksumSHA256).toList());
    complete(key, content, name, uploadId, parts, composite, conditional);
  }

  /**
   * Reads the content once, in order, verifying it as it goes, into part buffers that are uploaded in
   * parallel. The last part is read, and so the content verified, before the upload can complete.
   */
  private List<CompletedPart> uploadParts(ObjectKey key, String name, String uploadId, Content content, int partSize) {
    long size = content.size();
    List<Future<CompletedPart>> uploads = new ArrayList<>();
    AtomicBoolean failed = new AtomicBoolean();
    try (VerifiedContent in = VerifiedContent.open(key, content)) {
      int partNumber = 0;
      for (long offset = 0; offset < size && !failed.get(); offset += partSize) {
        int length = (int) Math.min(partSize, size - offset);
        byte[] buffer = takeBuffer(length);
        try {
          readFully(in, buffer, length);
        } catch (RuntimeException e) {
          partBuffers.release();
          throw e;
        }
        int number = ++partNumber;
        Future<CompletedPart> upload;
        try {
          upload = s3.submit(() -> {
            try {
              if (failed.get()) {
                return null; // another part failed; the upload is being aborted
              }
              return uploadPart(name, uploadId, number, buffer, length);
            } catch (RuntimeException e) {
              failed.set(true);
              throw e;
            } finally {
              partBuffers.release();
            }
          });
        } catch (RuntimeException e) {
          partBuffers.release();
          throw e;
        }
        uploads.add(upload);
      }
    } catch (java.io.IOException closing) {
      // the content was read; a failure to close its stream changes nothing
    } catch (RuntimeException e) {
      failed.set(true);
      awaitQuietly(uploads, e);
      throw e;
    }
    return s3.awaitAll(uploads, "uploading parts of " + name);
  }

  private byte[] takeBuffer(int length) {
    try {
      partBuffers.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException("interrupted while uploading to " + s3.root.uri(), e, true);
    }
    try {
      return new byte[length];
    } catch (OutOfMemoryError e) {
      partBuffers.release();
      throw e;
    }
  }

  private static void readFully(VerifiedContent in, byte[] buffer, int length) {
    int filled = 0;
    while (filled < length) {
      int n = in.read(buffer, filled, length - filled);
      if (n < 0) {
        throw new IllegalStateException("verified content ended early"); // VerifiedContent throws first
      }
      filled += n;
    }
  }

  private CompletedPart uploadPart(String name, String uploadId, int number, byte[] buffer, int length) {
    String checksum = Checksums.sha256Base64(buffer, length);
    try {
      UploadPartResponse response = s3.client.uploadPart(
          b -> b.bucket(s3.bucket()).key(name).uploadId(uploadId).partNumber(number)
              .contentLength((long) length).checksumAlgorithm(ChecksumAlgorithm.SHA256).checksumSHA256(checksum),
          RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buffer, 0, length), length, OCTETS));
      if (response.checksumSHA256() != null && !response.checksumSHA256().equals(checksum)) {
        throw new IntegrityException("S3 at " + s3.failures.endpoint() + " stored part " + number + " of "
            + s3.root.describe(name) + " with sha256 " + response.checksumSHA256() + ", not the " + checksum
            + " that was sent; the upload was aborted");
      }
      return CompletedPart.builder().partNumber(number).eTag(response.eTag()).checksumSHA256(checksum).build();
    } catch (S3Exception e) {
      if (isBadDigest(e)) {
        throw new IntegrityException("S3 at " + s3.failures.endpoint() + " refused part " + number + " of "
            + s3.root.describe(name) + ": the bytes it received do not have the SHA-256 that was sent ("
            + e.statusCode() + " " + S3Failures.code(e).orElse("") + "); the upload was aborted");
      }
      throw s3.failures.of("upload a part of", name, e);
    } catch (SdkException e) {
      throw s3.failures.of("upload a part of", name, e);
    }
  }

  private void complete(
      ObjectKey key, Content content, String name, String uploadId, List<CompletedPart> parts, String composite,
      boolean conditional) {
    try {
      CompleteMultipartUploadResponse response = s3.client.completeMultipartUpload(b -> {
        b.bucket(s3.bucket()).key(name).uploadId(uploadId).multipartUpload(m -> m.parts(parts));
        if (conditional) {
          b.ifNoneMatch("*");
        }
      });
      checkEcho(key, name, response.checksumSHA256(), composite);
      LOG.debug("stored {} ({} bytes in {} parts)", name, content.size(), parts.size());
    } catch (S3Exception e) {
      String code = S3Failures.code(e).orElse("");
      if (conditional && e.statusCode() == 412) {
        abort(name, uploadId, null);
        LOG.debug("{} was already created by another writer", name);
        confirmOrOverwrite(key, content, Checksums.base64OfHex(content.sha256()), composite);
      } else if (conditional && rejectsConditionalWrites(e)) {
        disableConditionalWrites(e);
        complete(key, content, name, uploadId, parts, composite, false);
      } else if (code.equals("NoSuchUpload") && confirmed(name, content.size(), null, composite)) {
        // A retried Complete whose first attempt succeeded but whose response was lost.
        LOG.debug("stored {} (confirmed after a retried completion)", name);
      } else {
        abort(name, uploadId, e);
        throw uploadFailure(key, name, e);
      }
    } catch (SdkException e) {
      abort(name, uploadId, e);
      throw uploadFailure(key, name, e);
    }
  }

  private void abort(String name, String uploadId, @Nullable Throwable failure) {
    try {
      s3.client.abortMultipartUpload(b -> b.bucket(s3.bucket()).key(name).uploadId(uploadId));
    } catch (SdkException e) {
      // The upload's parts stay until a lifecycle rule removes them; the object was never visible.
      LOG.debug("could not abort the upload of {}: {}", name, e.getClass().getSimpleName());
      if (failure != null) {
        failure.addSuppressed(s3.failures.of("abort the upload of", name, e));
      }
    }
  }

  private <T> void awaitQuietly(List<Future<T>> futures, RuntimeException failure) {
    try {
      s3.awaitAll(futures, "uploading parts");
    } catch (RuntimeException other) {
      if (other != failure) {
        failure.addSuppressed(other);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Conditional creates and their confirmation
  // ---------------------------------------------------------------------------------------------

  /**
   * After a 412: keeps the object another writer stored if it is confirmed to be this content, and
   * overwrites it otherwise (it may be the truncated or corrupt object a caller is repairing).
   */
  private void confirmOrOverwrite(ObjectKey key, Content content, String full, @Nullable String composite) {
    String name = s3.root.name(key);
    if (confirmed(name, content.size(), full, composite)) {
      return;
    }
    LOG.debug("{} exists but cannot be confirmed to hold this content; writing it again", name);
    if (content.size() > s3.multipartThreshold) {
      multipart(key, content, false);
    } else {
      single(key, content, full, false);
    }
  }

  /** Whether the stored object has this size and one of these checksums. */
  private boolean confirmed(String name, long size, @Nullable String full, @Nullable String composite) {
    Optional<HeadObjectResponse> head = s3.head(name);
    if (head.isEmpty() || head.get().contentLength() == null || head.get().contentLength() != size) {
      return false;
    }
    String stored = head.get().checksumSHA256();
    return stored != null && (stored.equals(full) || stored.equals(composite));
  }

  private static boolean rejectsConditionalWrites(S3Exception e) {
    String code = S3Failures.code(e).orElse("");
    if (e.statusCode() == 501 || code.equals("NotImplemented")) {
      return true;
    }
    if (e.statusCode() != 400 || !(code.equals("InvalidArgument") || code.equals("InvalidRequest"))) {
      return false;
    }
    String said = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
    return said != null && said.toLowerCase(Locale.ROOT).matches(".*(if-none-match|conditional).*");
  }

  private void disableConditionalWrites(S3Exception e) {
    if (conditionalWrites.compareAndSet(true, false)) {
      LOG.debug("S3 at {} does not support conditional writes ({} {}); using plain puts",
          s3.failures.endpoint(), e.statusCode(), S3Failures.code(e).orElse(""));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Checks of what the server says
  // ---------------------------------------------------------------------------------------------

  /**
   * A server that stored other bytes than the ones sent (one that ignores the checksum header, say)
   * says so in the checksum it returns: that object is removed again.
   */
  private void checkEcho(ObjectKey key, String name, @Nullable String returned, @Nullable String expected) {
    if (returned == null || expected == null || returned.equals(expected)) {
      return;
    }
    try {
      s3.client.deleteObject(b -> b.bucket(s3.bucket()).key(name));
    } catch (SdkException e) {
      LOG.debug("could not remove {} after a checksum mismatch: {}", name, e.getClass().getSimpleName());
    }
    throw new IntegrityException("S3 at " + s3.failures.endpoint() + " stored " + s3.root.describe(name)
        + " with sha256 " + returned + ", not the " + expected + " that was sent; it was removed again."
        + " Check the endpoint: the server or something between corrupts uploads");
  }

  private RuntimeException uploadFailure(ObjectKey key, String name, SdkException e) {
    Optional<VerifiedContent.Failure> content = VerifiedContent.Failure.in(e);
    if (content.isPresent()) {
      return content.get().toStorageFailure();
    }
    if (e instanceof S3Exception s && isBadDigest(s)) {
      return new IntegrityException("S3 at " + s3.failures.endpoint() + " refused " + s3.root.describe(name)
          + " for " + key + ": the bytes it received do not have the SHA-256 that was declared for them ("
          + s.statusCode() + " " + S3Failures.code(s).orElse("") + "), so nothing was stored. The content does"
          + " not belong under this key, or it was corrupted on the way");
    }
    return s3.failures.of("upload", name, e);
  }

  private static boolean isBadDigest(S3Exception e) {
    String code = S3Failures.code(e).orElse("");
    return code.equals("BadDigest") || code.equals("XAmzContentChecksumMismatch");
  }
}
