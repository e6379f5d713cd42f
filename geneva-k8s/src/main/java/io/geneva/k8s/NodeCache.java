package io.geneva.k8s;

import java.util.Objects;
import java.util.Optional;

/**
 * Where Geneva's package cache lives in a pod. Inside every Geneva and Ray container it is mounted
 * at {@link #MOUNT_PATH}; this value says what backs it:
 *
 * <ul>
 *   <li>{@link #hostPath()}: a directory on the node, shared by every pod on that node, so a package
 *       crosses the network once per node. The default. Needs a pod security level that allows
 *       {@code hostPath} volumes (not {@code baseline} or {@code restricted}), and a directory the
 *       image's user can write.
 *   <li>{@link #emptyDir()}: a directory per pod, for clusters that forbid host paths; each pod
 *       fetches its packages itself.
 * </ul>
 *
 * <p>Immutable and thread-safe. Values are checked when the cluster spec is validated.
 */
public final class NodeCache {
  /** Where the cache is mounted in every Geneva and Ray container. */
  public static final String MOUNT_PATH = "/var/cache/geneva";

  /** The node directory of {@link #hostPath()}. */
  public static final String DEFAULT_NODE_DIRECTORY = "/var/cache/geneva";

  /** What backs the cache. */
  public enum Kind {
    /** A directory on the node, shared by the node's pods. */
    HOST_PATH,
    /** A directory per pod, gone with the pod. */
    EMPTY_DIR
  }

  private final Kind kind;
  private final Optional<String> nodeDirectory;
  private final Optional<String> sizeLimit;

  private NodeCache(Kind kind, Optional<String> nodeDirectory, Optional<String> sizeLimit) {
    this.kind = kind;
    this.nodeDirectory = nodeDirectory;
    this.sizeLimit = sizeLimit;
  }

  /** The cache in {@value #DEFAULT_NODE_DIRECTORY} on each node, shared by the node's pods. */
  public static NodeCache hostPath() {
    return hostPath(DEFAULT_NODE_DIRECTORY);
  }

  /** The cache in this absolute directory on each node, created if missing, shared by the node's pods. */
  public static NodeCache hostPath(String nodeDirectory) {
    Objects.requireNonNull(nodeDirectory, "nodeDirectory");
    return new NodeCache(Kind.HOST_PATH, Optional.of(nodeDirectory), Optional.empty());
  }

  /** The cache in a directory of each pod, without a size limit. */
  public static NodeCache emptyDir() {
    return new NodeCache(Kind.EMPTY_DIR, Optional.empty(), Optional.empty());
  }

  /**
   * The cache in a directory of each pod, of at most this size (a Kubernetes quantity such as
   * {@code 20Gi}); Kubernetes evicts a pod whose cache grows beyond it.
   */
  public static NodeCache emptyDir(String sizeLimit) {
    Objects.requireNonNull(sizeLimit, "sizeLimit");
    return new NodeCache(Kind.EMPTY_DIR, Optional.empty(), Optional.of(sizeLimit));
  }

  /** What backs the cache. */
  public Kind kind() {
    return kind;
  }

  /** The directory on the node, for {@link Kind#HOST_PATH}. */
  public Optional<String> nodeDirectory() {
    return nodeDirectory;
  }

  /** The size limit, for {@link Kind#EMPTY_DIR} when one is set. */
  public Optional<String> sizeLimit() {
    return sizeLimit;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodeCache c && kind == c.kind && nodeDirectory.equals(c.nodeDirectory)
        && sizeLimit.equals(c.sizeLimit);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, nodeDirectory, sizeLimit);
  }

  @Override
  public String toString() {
    return kind == Kind.HOST_PATH
        ? "NodeCache[hostPath " + nodeDirectory.orElseThrow() + "]"
        : "NodeCache[emptyDir" + sizeLimit.map(s -> " " + s).orElse("") + "]";
  }
}
