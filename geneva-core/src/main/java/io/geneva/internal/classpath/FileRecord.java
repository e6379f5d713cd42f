package io.geneva.internal.classpath;

import io.geneva.internal.io.FileStat;
import java.nio.file.Path;

/**
 * A regular file found under a classpath entry, with the stat data that forms its fast key.
 *
 * @param relativePath '/'-separated path relative to the entry (empty for a jar entry itself)
 * @param file the absolute path
 * @param size size in bytes
 * @param mtimeNanos last-modified time in nanoseconds since the epoch
 * @param ctimeNanos status-change time in nanoseconds since the epoch (set by the kernel on every
 *     write; no tool can restore it), or 0 where the file system has none
 * @param fileKey a hash of the file system's identity of the file (device and inode), or 0
 */
public record FileRecord(
    String relativePath, Path file, long size, long mtimeNanos, long ctimeNanos, long fileKey) {

  /** The record of a file from its stat data. */
  public static FileRecord of(String relativePath, Path file, FileStat stat) {
    return new FileRecord(relativePath, file, stat.size(), stat.mtimeNanos(), stat.ctimeNanos(), stat.identity());
  }
}
