/**
 * Stage 4, on S3: the {@code s3://} storage provider, on the AWS SDK for Java v2. {@link
 * io.geneva.storage.s3.S3Storage} is the storage (with a builder for programmatic use), {@link
 * io.geneva.storage.s3.S3StorageProvider} creates it from a root URI and the usual AWS configuration.
 * The rest is implementation: existence checks by listing, verified single and multipart uploads,
 * ranged parallel reads, and the mapping of S3's errors to {@link io.geneva.StorageException}s.
 */
@NullMarked
package io.geneva.storage.s3;

import org.jspecify.annotations.NullMarked;
