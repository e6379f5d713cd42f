package io.geneva.internal.publish;

import io.geneva.ClasspathProfile;
import io.geneva.ClusterSpec;
import io.geneva.EntryKind;
import io.geneva.internal.classpath.ClasspathEntry;
import io.geneva.internal.classpath.ScannedEntry;
import io.geneva.internal.pack.PackedPackage;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What is never shipped: the packages the cluster image provides, recorded in the manifest by file
 * name and digest but not uploaded. They are every dependency jar when dependencies are in the image,
 * and otherwise the jars of the classpath profiles (explicit, or detected from the classpath for a
 * cluster built from an image).
 */
public final class ProvidedPackages {
  private static final Logger LOG = LoggerFactory.getLogger(ProvidedPackages.class);

  private final boolean dependenciesInImage;
  private final boolean[] providedEntries;
  private final Set<PackedPackage> framework;

  private ProvidedPackages(boolean dependenciesInImage, boolean[] providedEntries, Set<PackedPackage> framework) {
    this.dependenciesInImage = dependenciesInImage;
    this.providedEntries = providedEntries;
    this.framework = framework;
  }

  /**
   * Decides which entries the image provides, before they are packed, so that what is never shipped
   * is never uploaded while packing still goes on.
   *
   * @param dependenciesInImage whether every dependency jar comes from the image
   * @param profiles the classpath profiles set explicitly, if any (otherwise detected)
   * @param cluster the session's cluster spec, if set
   * @param scanned the scanned entries, in classpath order
   */
  public static ProvidedPackages decide(
      boolean dependenciesInImage,
      Optional<List<ClasspathProfile>> profiles,
      Optional<ClusterSpec> cluster,
      List<ScannedEntry> scanned) {
    boolean[] provided = new boolean[scanned.size()];
    List<Path> jars = scanned.stream().map(ScannedEntry::entry).filter(e -> !e.directory())
        .map(ClasspathEntry::path).toList();
    List<ClasspathProfile> used = profiles.orElseGet(() -> ClasspathProfile.detect(cluster, jars));
    int marked = 0;
    for (int i = 0; i < scanned.size(); i++) {
      ClasspathEntry e = scanned.get(i).entry();
      boolean framework = !e.directory() && used.stream().anyMatch(p -> p.provides(e.path()));
      marked += framework ? 1 : 0;
      provided[i] = framework || (dependenciesInImage && e.kind() == EntryKind.DEPENDENCY);
    }
    if (!used.isEmpty()) {
      LOG.info("classpath profiles {}: {} jars are the framework's, provided by the cluster image",
          used.stream().map(ClasspathProfile::name).toList(), marked);
    }
    return new ProvidedPackages(dependenciesInImage, provided, Set.of());
  }

  /** Whether the image provides the packages of the entry at this position of the scanned classpath. */
  public boolean providesEntry(int position) {
    return providedEntries[position];
  }

  /**
   * The same decision, able to answer {@link #contains} for these packages.
   *
   * @param byEntry each scanned entry's packages, in classpath order
   */
  public ProvidedPackages withPackages(List<List<PackedPackage>> byEntry) {
    Set<PackedPackage> framework = Collections.newSetFromMap(new IdentityHashMap<>());
    for (int i = 0; i < byEntry.size(); i++) {
      if (providedEntries[i]) {
        framework.addAll(byEntry.get(i));
      }
    }
    return new ProvidedPackages(dependenciesInImage, providedEntries, framework);
  }

  /** Whether the worker image provides this package, so it is recorded but not uploaded. */
  public boolean contains(PackedPackage p) {
    return (dependenciesInImage && p.kind() == EntryKind.DEPENDENCY) || framework.contains(p);
  }

  /** The packages that must be shipped, in order. */
  public List<PackedPackage> shipped(List<PackedPackage> packages) {
    return packages.stream().filter(p -> !contains(p)).toList();
  }

  /** The file name under which the image holds a provided package. */
  public static String fileName(PackedPackage p) {
    Path name = Path.of(p.source()).getFileName();
    return name == null ? p.source() : name.toString();
  }
}
