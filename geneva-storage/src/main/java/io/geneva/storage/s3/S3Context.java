package io.geneva.storage.s3;

import io.geneva.StorageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * What the parts of an {@link S3Storage} share: the client, the root, the settings, the thread pool
 * for parallel requests, and the failure messages. Thread-safe.
 */
final class S3Context {
  final S3Client client;
  final S3Root root;
  final S3Failures failures;
  final ExecutorService executor;
  final long partSize;
  final long multipartThreshold;
  final int concurrency;
  final int listPageSize;

  S3Context(
      S3Client client,
      S3Root root,
      S3Failures failures,
      ExecutorService executor,
      long partSize,
      long multipartThreshold,
      int concurrency,
      int listPageSize) {
    this.client = client;
    this.root = root;
    this.failures = failures;
    this.executor = executor;
    this.partSize = partSize;
    this.multipartThreshold = multipartThreshold;
    this.concurrency = concurrency;
    this.listPageSize = listPageSize;
  }

  String bucket() {
    return root.bucket();
  }

  /** HEADs an object (with its stored checksum, if the server keeps one); empty if it does not exist. */
  Optional<HeadObjectResponse> head(String name) {
    try {
      return Optional.of(client.headObject(b -> b.bucket(bucket()).key(name).checksumMode(ChecksumMode.ENABLED)));
    } catch (S3Exception e) {
      if (e.statusCode() == 404 && !"NoSuchBucket".equals(S3Failures.code(e).orElse(""))) {
        return Optional.empty();
      }
      throw failures.of("check", name, e);
    } catch (software.amazon.awssdk.core.exception.SdkException e) {
      throw failures.of("check", name, e);
    }
  }

  /**
   * One page of names under a prefix: the first page after {@code startAfter} (none for all), or
   * the page a continuation token names.
   */
  ListObjectsV2Response listPage(String prefix, @Nullable String startAfter, @Nullable String token) {
    ListObjectsV2Request.Builder request =
        ListObjectsV2Request.builder().bucket(bucket()).prefix(prefix).maxKeys(listPageSize);
    if (token != null) {
      request.continuationToken(token);
    } else if (startAfter != null) {
      request.startAfter(startAfter);
    }
    try {
      return client.listObjectsV2(request.build());
    } catch (software.amazon.awssdk.core.exception.SdkException e) {
      throw failures.of("list", prefix, e);
    }
  }

  /** Runs a task on the pool, or fails clearly if the storage was closed meanwhile. */
  <T> Future<T> submit(Callable<T> task) {
    try {
      return executor.submit(task);
    } catch (RejectedExecutionException e) {
      throw new StorageException("storage " + root.uri() + " was closed while in use", e, false);
    }
  }

  /**
   * Waits for every future, even after one failed (so that no request of the batch is still running
   * when this returns), and rethrows the first failure.
   */
  <T> List<T> awaitAll(List<Future<T>> futures, String what) {
    List<T> results = new ArrayList<>(futures.size());
    RuntimeException first = null;
    boolean interrupted = false;
    for (Future<T> f : futures) {
      while (true) {
        try {
          results.add(f.get());
          break;
        } catch (InterruptedException e) {
          interrupted = true; // finish waiting: the tasks use buffers and an upload the caller cleans up
        } catch (ExecutionException e) {
          RuntimeException failure = unwrap(e, what);
          if (first == null) {
            first = failure;
          } else if (first != failure) {
            first.addSuppressed(failure);
          }
          results.add(null);
          break;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
      if (first == null) {
        first = new StorageException("interrupted while " + what + " in " + root.uri(), null, true);
      }
    }
    if (first != null) {
      throw first;
    }
    return results;
  }

  /** The result of one future, rethrowing its failure as it was thrown. */
  <T> T await(Future<T> future, String what) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new StorageException("interrupted while " + what + " in " + root.uri(), e, true);
    } catch (ExecutionException e) {
      throw unwrap(e, what);
    }
  }

  private RuntimeException unwrap(ExecutionException e, String what) {
    Throwable cause = e.getCause();
    if (cause instanceof RuntimeException r) {
      return r;
    }
    if (cause instanceof Error err) {
      throw err;
    }
    return new StorageException(what + " in " + root.uri() + " failed: " + cause, cause, false);
  }
}
