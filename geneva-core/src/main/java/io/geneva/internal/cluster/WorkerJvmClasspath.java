package io.geneva.internal.cluster;

import io.geneva.ProvisioningException;
import io.geneva.spi.StorageProvider;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * The class path a worker JVM starts with: Geneva's runtime and nothing of the application. Found
 * from where this JVM loaded Geneva, Jackson, slf4j and the storage providers, plus the dependencies
 * each Geneva module lists in its jar; the system property
 * {@value #OVERRIDE} replaces it where those locations are not files (an unusual class loader).
 */
final class WorkerJvmClasspath {
  static final String OVERRIDE = "geneva.worker.classpath";
  static final String DEPENDENCY_LIST = "META-INF/geneva/runtime-dependencies.list";
  /** Plugin jars (a path list) that the {@code geneva} command loaded; workers get them too. */
  static final String PLUGINS = "geneva.plugin.classpath";

  private WorkerJvmClasspath() {}

  static String get() {
    String override = System.getProperty(OVERRIDE);
    if (override != null && !override.isBlank()) {
      return override;
    }
    Set<String> entries = new LinkedHashSet<>();
    for (Class<?> anchor : new Class<?>[] {
        io.geneva.Geneva.class,
        com.fasterxml.jackson.databind.ObjectMapper.class,
        com.fasterxml.jackson.core.JsonFactory.class,
        com.fasterxml.jackson.annotation.JsonProperty.class,
        org.slf4j.LoggerFactory.class}) {
      entries.add(location(anchor));
    }
    ClassLoader loader = WorkerJvmClasspath.class.getClassLoader();
    for (StorageProvider p : ServiceLoader.load(StorageProvider.class, loader)) {
      entries.add(location(p.getClass()));
    }
    entries.addAll(listedDependencies(loader, System.getProperty("java.class.path", "")));
    // Plugin jars the geneva command added to its class loader (a plugin's provider and its dependencies).
    for (String plugin : System.getProperty(PLUGINS, "").split(java.util.regex.Pattern.quote(File.pathSeparator))) {
      if (!plugin.isBlank()) {
        entries.add(plugin);
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  /**
   * The class path entries of the dependencies that Geneva modules list in {@value #DEPENDENCY_LIST}
   * (written at build time by {@code dependency:list}), found in this JVM's class path by file name.
   * A listed artifact not found there is inside one of the found jars (a shaded jar), or absent.
   */
  static List<String> listedDependencies(ClassLoader loader, String javaClassPath) {
    Map<String, String> byFileName = new LinkedHashMap<>();
    for (String entry : javaClassPath.split(java.util.regex.Pattern.quote(File.pathSeparator))) {
      if (!entry.isEmpty()) {
        byFileName.putIfAbsent(Path.of(entry).getFileName().toString(), Path.of(entry).toAbsolutePath().toString());
      }
    }
    List<String> found = new ArrayList<>();
    try {
      for (URL list : Collections.list(loader.getResources(DEPENDENCY_LIST))) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(list.openStream(), StandardCharsets.UTF_8))) {
          for (String line; (line = in.readLine()) != null; ) {
            fileName(line).map(byFileName::get).ifPresent(found::add);
          }
        }
      }
    } catch (IOException e) {
      throw new ProvisioningException("cannot read Geneva's runtime dependency lists: " + e
          + "; set -D" + OVERRIDE + "=<Geneva's jars>", e);
    }
    return found;
  }

  /** The jar file name of a {@code dependency:list} line such as {@code   g:a:jar:1.0:compile -- module x}. */
  static Optional<String> fileName(String line) {
    String coordinates = line.strip();
    int space = coordinates.indexOf(' ');
    if (space >= 0) {
      coordinates = coordinates.substring(0, space);
    }
    String[] p = coordinates.split(":");
    if (p.length == 5) {
      return Optional.of(p[1] + "-" + p[3] + "." + p[2]);
    }
    if (p.length == 6) {
      return Optional.of(p[1] + "-" + p[4] + "-" + p[3] + "." + p[2]);
    }
    return Optional.empty();
  }

  private static String location(Class<?> anchor) {
    CodeSource source = anchor.getProtectionDomain().getCodeSource();
    try {
      if (source != null && source.getLocation() != null && "file".equals(source.getLocation().getProtocol())) {
        return Path.of(source.getLocation().toURI()).toString();
      }
    } catch (URISyntaxException | IllegalArgumentException e) {
      // Reported below.
    }
    throw new ProvisioningException("cannot tell which file " + anchor.getName() + " was loaded from ("
        + source + "), so local workers cannot be given Geneva's runtime; set -D" + OVERRIDE
        + "=<Geneva's jars> ");
  }
}
