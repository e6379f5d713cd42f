package io.geneva.internal.pack;

/**
 * Receives each package of a start as soon as it is final, so publishing can begin while later
 * packages are still fingerprinted and packed. A package is final when its digest and size are known
 * and its bytes are where its content says: a jar once it is hashed, a shard once its archive is
 * written and checked against its files' fingerprints, or a reused shard once it is planned.
 *
 * <p>Called from the stage's threads, concurrently, once per package; the same content may come twice
 * (one jar twice on the classpath). It must return quickly (queue, never upload on the caller's
 * thread). What it throws fails the stage: a publication that failed stops packing that way.
 */
@FunctionalInterface
public interface PackageSink {
  /** A sink that drops everything, for a stage whose packages are published after it ends. */
  PackageSink NONE = (position, p) -> {};

  /**
   * @param position the position on the scanned classpath of the entry the package belongs to
   * @param p the package
   */
  void accept(int position, PackedPackage p);
}
