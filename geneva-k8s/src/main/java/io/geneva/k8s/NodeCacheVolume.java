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
 *       {@code hostPath} volumes (not {@code baseline} or {@code restricted}). Kubernetes creates a
 *       missing node directory owned by root, so each pod first runs a short init container as root
 *       that hands the directory to the cache's owner ({@link #ownedBy}; by default uid {@value
 *       #DEFAULT_UID} and gid {@value #DEFAULT_GID}, the {@code ray} user of Ray's images), and
 *       Geneva's and Ray's containers run as that owner.
 *   <li>{@link #emptyDir()}: a directory per pod, for clusters that forbid host paths; each pod
 *       fetches its packages itself.
 * </ul>
 *
 * <p>Immutable and thread-safe. Values are checked when the cluster spec is validated.
 */
public final class NodeCacheVolume {
  /** Where the cache is mounted in every Geneva and Ray container. */
  public static final String MOUNT_PATH = "/var/cache/geneva";

  /** The node directory of {@link #hostPath()}. */
  public static final String DEFAULT_NODE_DIRECTORY = "/var/cache/geneva";

  /** The user that owns a host-path cache unless told otherwise: {@code ray} in Ray's images. */
  public static final long DEFAULT_UID = 1000;

  /** The group that owns a host-path cache unless told otherwise: {@code users} in Ray's images. */
  public static final long DEFAULT_GID = 100;

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
  private final long uid;
  private final long gid;

  private NodeCacheVolume(Kind kind, Optional<String> nodeDirectory, Optional<String> sizeLimit, long uid, long gid) {
    this.kind = kind;
    this.nodeDirectory = nodeDirectory;
    this.sizeLimit = sizeLimit;
    this.uid = uid;
    this.gid = gid;
  }

  /** The cache in {@value #DEFAULT_NODE_DIRECTORY} on each node, shared by the node's pods. */
  public static NodeCacheVolume hostPath() {
    return hostPath(DEFAULT_NODE_DIRECTORY);
  }

  /** The cache in this absolute directory on each node, created if missing, shared by the node's pods. */
  public static NodeCacheVolume hostPath(String nodeDirectory) {
    Objects.requireNonNull(nodeDirectory, "nodeDirectory");
    return new NodeCacheVolume(Kind.HOST_PATH, Optional.of(nodeDirectory), Optional.empty(), DEFAULT_UID, DEFAULT_GID);
  }

  /** The cache in a directory of each pod, without a size limit. */
  public static NodeCacheVolume emptyDir() {
    return new NodeCacheVolume(Kind.EMPTY_DIR, Optional.empty(), Optional.empty(), DEFAULT_UID, DEFAULT_GID);
  }

  /**
   * The cache in a directory of each pod, of at most this size (a Kubernetes quantity such as
   * {@code 20Gi}); Kubernetes evicts a pod whose cache grows beyond it.
   */
  public static NodeCacheVolume emptyDir(String sizeLimit) {
    Objects.requireNonNull(sizeLimit, "sizeLimit");
    return new NodeCacheVolume(Kind.EMPTY_DIR, Optional.empty(), Optional.of(sizeLimit), DEFAULT_UID, DEFAULT_GID);
  }

  /**
   * This host-path cache, owned by this user and group: the user Geneva's and Ray's containers run
   * as, which must be able to run the image's {@code java} and Ray. Checked (not negative) when the
   * cluster spec is validated.
   *
   * @throws IllegalStateException for an {@code emptyDir} cache, which any user can write
   */
  public NodeCacheVolume ownedBy(long uid, long gid) {
    if (kind != Kind.HOST_PATH) {
      throw new IllegalStateException("an emptyDir cache is writable by any user and has no owner to set;"
          + " ownedBy applies to a hostPath cache");
    }
    return new NodeCacheVolume(kind, nodeDirectory, sizeLimit, uid, gid);
  }

  /** The user that owns a host-path cache and runs Geneva's and Ray's containers. */
  public long uid() {
    return uid;
  }

  /** The group that owns a host-path cache. */
  public long gid() {
    return gid;
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
    return o instanceof NodeCacheVolume c && kind == c.kind && nodeDirectory.equals(c.nodeDirectory)
        && sizeLimit.equals(c.sizeLimit) && uid == c.uid && gid == c.gid;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, nodeDirectory, sizeLimit, uid, gid);
  }

  @Override
  public String toString() {
    return kind == Kind.HOST_PATH
        ? "NodeCacheVolume[hostPath " + nodeDirectory.orElseThrow() + " owned by " + uid + ":" + gid + "]"
        : "NodeCacheVolume[emptyDir" + sizeLimit.map(s -> " " + s).orElse("") + "]";
  }
}
