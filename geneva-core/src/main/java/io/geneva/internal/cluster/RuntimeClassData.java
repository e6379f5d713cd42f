package io.geneva.internal.cluster;

import io.geneva.LocalCluster;
import io.geneva.internal.fingerprint.Sha256;
import io.geneva.internal.io.PrivateFiles;
import io.geneva.internal.worker.NodeCache;
import io.geneva.internal.worker.StateFile;
import io.geneva.internal.worker.TrainingClaim;
import io.geneva.spi.ProvisionContext;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * A dynamic class-data archive of Geneva's own worker runtime (the worker, the bootstrap, Jackson,
 * the storage providers), per JDK and runtime jars, for generic workers ({@link
 * io.geneva.WarmStart#OFF}): the classes every worker loads before it can run a task, whatever the
 * manifest. Without it a fresh worker spends most of its bootstrap loading and verifying them.
 *
 * <p>In the node cache, {@code runtime-classdata/<key>/}, where {@code key} hashes the JDK (version,
 * vendor, OS, architecture) and the runtime jars' paths, sizes and modification times (what the JDK
 * checks as well): {@code runtime.jsa} (the archive) and {@code runtime.properties} (its SHA-256 and
 * size, and the file's state when it was hashed, as a node-cache marker records it). The first
 * worker of a launch without an archive trains one ({@code -XX:ArchiveClassesAtExit}, written as it
 * exits, into {@code trained.jsa}), holding the directory's {@link TrainingClaim}; the next launch
 * after it exited hashes it and moves it into place. A later launch uses the archive only if its
 * file still has the state it was hashed in, or else its content still has the digest (re-hashed,
 * as the node cache does); one that does not is deleted and trained again. Never used from a
 * directory another user can write to. The JDK itself checks the archive against its JDK build and
 * class path, and starts without it (with a warning in the worker's log) where it does not match.
 */
final class RuntimeClassData {
  static final String DIRECTORY = "runtime-classdata";
  static final String ARCHIVE = "runtime.jsa";
  static final String RECORD = "runtime.properties";
  static final String TRAINED = "trained.jsa";
  static final String CLAIM = "training.claim";

  private RuntimeClassData() {}

  /** What the generic workers of a local cluster do about runtime class data (in its node cache, on its JDK). */
  static ClassDataCache.Plan plan(LocalCluster spec, ProvisionContext context) {
    Path java = spec.javaExecutable().orElse(Path.of(System.getProperty("java.home"), "bin", "java"));
    Path cache = spec.cacheDirectory().orElse(context.home().resolve("cache")).toAbsolutePath();
    return plan(cache, ClassDataCache.Jdk.of(java), List.of(WorkerJvmClasspath.get().split(File.pathSeparator)),
        new TrainingClaim(context.clock(), TrainingClaim.Processes.SYSTEM));
  }

  /** The directory of the archive for this JDK and runtime class path. */
  static Path directory(Path nodeCache, ClassDataCache.Jdk jdk, List<String> runtimeClassPath) {
    String key = Sha256.of("geneva runtime class data 1\n" + jdk.version() + "\n" + jdk.vendor() + "\n" + jdk.os()
        + "\n" + jdk.arch() + "\n" + ClassDataCache.runtimeFingerprint(runtimeClassPath)).substring(0, 32);
    return nodeCache.resolve(DIRECTORY).resolve(key);
  }

  /**
   * What generic workers of a launch do about runtime class data: use the archive, train it (the
   * first worker), or neither, with the reason. Never throws: a problem means starting without it.
   *
   * @param nodeCache the node cache directory (absolute)
   * @param jdk the workers' JDK, if its release file says
   * @param runtimeClassPath the workers' class path, Geneva's runtime
   * @param claims the training claims
   */
  static ClassDataCache.Plan plan(Path nodeCache, Optional<ClassDataCache.Jdk> jdk, List<String> runtimeClassPath,
      TrainingClaim claims) {
    if (jdk.isEmpty() || jdk.get().feature() < 13) {
      return ClassDataCache.Plan.none("no runtime class data: the workers' JDK has no release file or is older than"
          + " JDK 13");
    }
    if (runtimeClassPath.stream().anyMatch(e -> !e.endsWith(".jar") || !Files.isRegularFile(Path.of(e)))) {
      return ClassDataCache.Plan.none("no runtime class data: Geneva's runtime is not all jars (the JDK archives"
          + " classes of jars only)");
    }
    Path dir = directory(nodeCache, jdk.get(), runtimeClassPath);
    try {
      PrivateFiles.createDirectories(dir);
      Optional<String> unsafe = ClassDataCache.writableByOthers(nodeCache)
          .or(() -> ClassDataCache.writableByOthers(dir.getParent()))
          .or(() -> ClassDataCache.writableByOthers(dir));
      if (unsafe.isPresent()) {
        return ClassDataCache.Plan.none("no runtime class data: " + unsafe.get() + "; class data is never used from"
            + " a directory another user can write to");
      }
      String problem = install(dir, claims).orElse("");
      if (problem.isEmpty()) {
        Optional<String> verified = verified(dir);
        if (verified.isPresent()) {
          return new ClassDataCache.Plan(List.of("-XX:SharedArchiveFile=" + dir.resolve(ARCHIVE)), List.of(),
              "runtime class data " + verified.get().substring(0, 12));
        }
        problem = Files.exists(dir.resolve(ARCHIVE)) ? "runtime class data " + dir.resolve(ARCHIVE)
            + " does not have the digest it was stored with; deleted it" : "no runtime class data yet";
        delete(dir);
      }
      Optional<String> holder = claims.claim(dir.resolve(CLAIM));
      if (holder.isPresent()) {
        return ClassDataCache.Plan.none(problem + "; another worker is training it (" + holder.get() + ")");
      }
      return new ClassDataCache.Plan(List.of(), List.of("-XX:ArchiveClassesAtExit=" + dir.resolve(TRAINED),
          "-D" + TrainingClaim.OWNER_PROPERTY + "=" + dir.resolve(CLAIM)), problem + "; the first worker trains it");
    } catch (IOException | RuntimeException e) {
      return ClassDataCache.Plan.none("no runtime class data: " + e);
    }
  }

  /**
   * Moves a finished training into place: hashed, recorded, renamed. Returns why it was not, if a
   * training is still running (its worker alive).
   */
  private static Optional<String> install(Path dir, TrainingClaim claims) throws IOException {
    Path trained = dir.resolve(TRAINED);
    if (!Files.exists(trained)) {
      return Optional.empty();
    }
    if (claims.live(dir.resolve(CLAIM)).isPresent()) {
      return Optional.of("runtime class data is being trained");
    }
    if (Files.size(trained) == 0) {
      Files.deleteIfExists(trained);
      return Optional.empty();
    }
    // Read-only, like a package in the node cache; the state recorded below is the one after this.
    PrivateFiles.restrict(trained, java.util.Set.of(java.nio.file.attribute.PosixFilePermission.OWNER_READ));
    Path archive = dir.resolve(ARCHIVE);
    Files.move(trained, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Sha256.Hashed hashed = Sha256.hashFile(archive);
    Properties p = new Properties();
    p.setProperty("sha256", hashed.sha256());
    p.setProperty("size", Long.toString(hashed.size()));
    p.setProperty("state", NodeCache.describe(archive).orElse(""));
    StateFile.write(dir.resolve(RECORD), p, "geneva runtime class data");
    Files.deleteIfExists(dir.resolve(CLAIM));
    return Optional.empty();
  }

  /**
   * The archive's digest if it has the one recorded: by its file state (one stat) or, where that
   * changed, by hashing it again (and recording the new state).
   */
  private static Optional<String> verified(Path dir) throws IOException {
    Path archive = dir.resolve(ARCHIVE);
    Properties p = StateFile.read(dir.resolve(RECORD));
    String sha = p.getProperty("sha256", "");
    if (!Files.isRegularFile(archive) || !sha.matches("[0-9a-f]{64}")) {
      return Optional.empty();
    }
    Optional<String> state = NodeCache.describe(archive);
    if (state.isPresent() && state.get().equals(p.getProperty("state"))) {
      return Optional.of(sha);
    }
    Sha256.Hashed hashed = Sha256.hashFile(archive);
    if (!hashed.sha256().equals(sha) || !Long.toString(hashed.size()).equals(p.getProperty("size"))) {
      return Optional.empty();
    }
    p.setProperty("state", state.orElse(""));
    StateFile.write(dir.resolve(RECORD), p, "geneva runtime class data");
    return Optional.of(sha);
  }

  private static void delete(Path dir) throws IOException {
    Files.deleteIfExists(dir.resolve(ARCHIVE));
    Files.deleteIfExists(dir.resolve(RECORD));
  }
}
