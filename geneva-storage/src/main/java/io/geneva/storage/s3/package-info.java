/**
 * The S3 storage provider (s3://), on AWS SDK for Java v2. Filled by a later issue; the module exists so the build and its dependency graph are in place.
 */
@NullMarked
package io.geneva.storage.s3;

import org.jspecify.annotations.NullMarked;
