package io.geneva.internal.manifest;

import io.geneva.Manifest;
import io.geneva.internal.pack.PackedPackage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/** Builds the manifest of a start from its packages: the one document a worker is told about. */
public final class ManifestBuilder {
  private ManifestBuilder() {}

  /**
   * The manifest of these packages, in classpath order.
   *
   * @param packages every package, shipped or provided
   * @param provided which packages the worker image provides
   * @param providedName the file name under which the image holds a provided package
   * @param jvmOptions the worker JVM options the session asks for
   * @param environment the worker environment the session asks for
   * @param dependenciesInImage whether dependency jars come from the image
   */
  public static Manifest of(
      List<PackedPackage> packages,
      Predicate<PackedPackage> provided,
      Function<PackedPackage, String> providedName,
      List<String> jvmOptions,
      Map<String, String> environment,
      boolean dependenciesInImage) {
    List<Manifest.Package> classpath = new ArrayList<>(packages.size());
    for (PackedPackage p : packages) {
      classpath.add(new Manifest.Package(
          p.key().path(), p.sha256(), p.size(), p.kind(), provided.test(p) ? providedName.apply(p) : null));
    }
    return new Manifest(
        Manifest.FORMAT_VERSION, classpath, currentRuntime(), jvmOptions, environment, dependenciesInImage);
  }

  /** The JVM this code runs on, as a manifest records it. */
  static Manifest.Runtime currentRuntime() {
    String os = System.getProperty("os.name", "unknown").toLowerCase(Locale.ROOT);
    if (os.startsWith("mac")) {
      os = "macos";
    } else if (os.startsWith("windows")) {
      os = "windows";
    }
    return new Manifest.Runtime(Runtime.version().feature(), os, System.getProperty("os.arch", "unknown"));
  }
}
