package io.geneva.internal.worker;

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
 * The dependency jars a worker image provides, for manifests packaged with dependencies in the
 * image: each provided package is found in the image's library directory by its SHA-256, first
 * under its recorded file name and otherwise among all the directory's jars (a renamed jar is
 * found too). A jar is hashed once per worker process while its size and modification time stay
 * the same.
 *
 * <p>Thread-safe.
 */
public final class ImageLibrary {
  /** The environment variable naming the image's library directory. */
  public static final String ENV = "GENEVA_IMAGE_LIB";

  /** The image's library directory unless {@value #ENV} says otherwise. */
  public static final String DEFAULT_DIRECTORY = "/opt/app/lib";

  private record Stamp(long size, long modified) {}

  private record Hashed(Stamp stamp, String sha256) {}

  private final Path directory;
  private final Map<Path, Hashed> hashed = new HashMap<>();

  public ImageLibrary(Path directory) {
    this.directory = directory;
  }

  /** The directory {@value #ENV} names, or {@value #DEFAULT_DIRECTORY}. */
  public static ImageLibrary fromEnvironment() {
    String dir = System.getenv(ENV);
    return new ImageLibrary(Path.of(dir == null || dir.isBlank() ? DEFAULT_DIRECTORY : dir));
  }

  public Path directory() {
    return directory;
  }

  /**
   * Links the jars of this JVM's class path into a directory, which then stands in for an image's
   * library on this machine: for trying dependencies in the image, or a framework profile, with
   * local workers before an image is built.
   *
   * @return the directory
   */
  public static Path linkClasspathJars(Path directory) throws IOException {
    Files.createDirectories(directory);
    for (String entry : System.getProperty("java.class.path", "").split(java.io.File.pathSeparator)) {
      Path jar = Path.of(entry);
      Path link = directory.resolve(String.valueOf(jar.getFileName()));
      if (entry.endsWith(".jar") && Files.isRegularFile(jar) && !Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        Files.createSymbolicLink(link, jar.toAbsolutePath());
      }
    }
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
            + ENV + "): " + String.join("; ", problems) + "; rebuild the image with the jars geneva image-deps"
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
