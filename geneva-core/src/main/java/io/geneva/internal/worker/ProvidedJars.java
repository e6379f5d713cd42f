package io.geneva.internal.worker;

import io.geneva.ImageLibrary;
import io.geneva.Manifest;
import io.geneva.internal.fingerprint.Sha256;
import io.geneva.internal.job.TaskSetupException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The jars a manifest records as provided by the worker image, found in the image's library
 * directory ({@link ImageLibrary}): each provided package is found there by its SHA-256, first
 * under its recorded file name and otherwise among all the directory's jars (a renamed jar is
 * found too). A jar is hashed once per worker process while its size and modification time stay
 * the same.
 *
 * <p>Thread-safe.
 */
public final class ProvidedJars {
  private record Stamp(long size, long modified) {}

  private record Hashed(Stamp stamp, String sha256) {}

  private final Path directory;
  private final Map<Path, Hashed> hashed = new HashMap<>();

  /** Provided jars found in this image library directory. */
  public ProvidedJars(Path directory) {
    this.directory = directory;
  }

  /**
   * Provided jars found in the directory {@value ImageLibrary#ENV} names, or {@value
   * ImageLibrary#DEFAULT_DIRECTORY}.
   */
  public static ProvidedJars fromEnvironment() {
    String dir = System.getenv(ImageLibrary.ENV);
    return new ProvidedJars(Path.of(dir == null || dir.isBlank() ? ImageLibrary.DEFAULT_DIRECTORY : dir));
  }

  /** The image library directory. */
  public Path directory() {
    return directory;
  }

  /**
   * The image's file for each provided package, by digest.
   *
   * @throws TaskSetupException listing every provided jar the image lacks or has in another
   *     version, before any task runs
   */
  public synchronized Map<String, Path> resolve(List<Manifest.Package> provided, URI manifestUri) {
    Map<String, Path> found = new LinkedHashMap<>();
    List<Manifest.Package> unresolved = new ArrayList<>();
    for (Manifest.Package p : provided) {
      Path named = directory.resolve(p.provided());
      if (p.sha256().equals(digest(named, p.size()))) {
        found.put(p.sha256(), named);
      } else {
        unresolved.add(p);
      }
    }
    if (!unresolved.isEmpty()) {
      Map<String, Path> byDigest = scan();
      List<String> problems = new ArrayList<>();
      for (Manifest.Package p : unresolved) {
        Path match = byDigest.get(p.sha256());
        if (match != null) {
          found.put(p.sha256(), match);
        } else {
          problems.add(problem(p));
        }
      }
      if (!problems.isEmpty()) {
        throw new TaskSetupException("the worker image lacks " + problems.size() + " of the "
            + provided.size() + " dependency jars manifest " + manifestUri + " expects in " + directory + " ("
            + ImageLibrary.ENV + "): " + String.join("; ", problems) + "; rebuild the image with the jars geneva image-deps"
            + " --manifest " + manifestUri + " lists, or package without dependencies in the image");
      }
    }
    return found;
  }

  private String problem(Manifest.Package p) {
    Path named = directory.resolve(p.provided());
    String wanted = p.provided() + " (sha256 " + p.sha256().substring(0, 12) + "..., " + p.size() + " bytes)";
    if (!Files.isRegularFile(named)) {
      return wanted + " is missing";
    }
    Hashed h = hashed.get(named);
    return wanted + " differs: the image's has " + (h == null ? "another size"
        : "sha256 " + h.sha256().substring(0, 12) + "...") + ", another version";
  }

  /** Every jar of the directory, by digest. */
  private Map<String, Path> scan() {
    Map<String, Path> byDigest = new HashMap<>();
    if (!Files.isDirectory(directory)) {
      return byDigest;
    }
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path f : files.filter(Files::isRegularFile)
          .filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar")).toList()) {
        String d = digest(f, -1);
        if (d != null) {
          byDigest.putIfAbsent(d, f);
        }
      }
    } catch (IOException e) {
      throw new TaskSetupException("the image's library directory " + directory + " cannot be read: " + e);
    }
    return byDigest;
  }

  /** The file's SHA-256, or null if it is absent or (when a size is given) of another size. */
  private String digest(Path file, long expectedSize) {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new TaskSetupException("the image's jar " + file + " cannot be read: " + e);
    }
    if (!a.isRegularFile() || (expectedSize >= 0 && a.size() != expectedSize)) {
      return null;
    }
    Stamp stamp = new Stamp(a.size(), a.lastModifiedTime().toMillis());
    Hashed known = hashed.get(file);
    if (known != null && known.stamp().equals(stamp)) {
      return known.sha256();
    }
    try (InputStream in = Files.newInputStream(file)) {
      String sha = Sha256.hashStream(in).sha256();
      hashed.put(file, new Hashed(stamp, sha));
      return sha;
    } catch (IOException e) {
      throw new TaskSetupException("the image's jar " + file + " cannot be read: " + e);
    }
  }
}
