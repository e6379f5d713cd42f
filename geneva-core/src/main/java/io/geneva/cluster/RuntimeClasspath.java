package io.geneva.cluster;

import io.geneva.ProvisioningException;
import io.geneva.spi.StorageProvider;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.LinkedHashSet;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * The class path a worker JVM starts with: Geneva's runtime and nothing of the application. Found
 * from where this JVM loaded Geneva, Jackson, slf4j and the storage providers; the system property
 * {@value #OVERRIDE} replaces it where those locations are not files (an unusual class loader).
 */
final class RuntimeClasspath {
  static final String OVERRIDE = "geneva.worker.classpath";

  private RuntimeClasspath() {}

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
    for (StorageProvider p : ServiceLoader.load(StorageProvider.class, RuntimeClasspath.class.getClassLoader())) {
      entries.add(location(p.getClass()));
    }
    return String.join(File.pathSeparator, entries);
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
