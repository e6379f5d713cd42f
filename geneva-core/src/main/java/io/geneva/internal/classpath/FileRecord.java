package io.geneva.internal.classpath;

import java.nio.file.Path;

/**
 * A regular file found under a classpath entry, with the stat data that forms its fast key.
 *
 * @param relativePath '/'-separated path relative to the entry (empty for a jar entry itself)
 * @param file the absolute path
 * @param size size in bytes
 * @param mtimeNanos last-modified time in nanoseconds since the epoch
 * @param fileKey a hash of the file system's identity of the file (device and inode), or 0
 */
public record FileRecord(String relativePath, Path file, long size, long mtimeNanos, long fileKey) {}
