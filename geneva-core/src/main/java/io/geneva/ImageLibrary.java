package io.geneva;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The worker image's library directory: where a worker finds the jars a manifest records as provided
 * by the image instead of shipping them (every dependency with {@link
 * GenevaSession.Builder#dependenciesInImage(boolean)}, a framework's jars with a {@link
 * ClasspathProfile}). A worker finds each such jar there by its SHA-256, and fails before any task
 * runs, naming every jar that is missing or different, if the directory lacks one. A worker reads
 * the directory from {@value #ENV} in its environment, default {@value #DEFAULT_DIRECTORY}.
 *
 * <p>Local workers have no image. To try dependencies in the image, or a classpath profile, on this
 * machine before an image is built, let a directory of links to this JVM's jars stand in for it:
 *
 * <pre>{@code
 * Path lib = ImageLibrary.linkClasspathJars(Path.of("/tmp/image-lib"));
 * Geneva.connect()
 *     .environment(Map.of(ImageLibrary.ENV, lib.toString()))
 *     .classpathProfiles(List.of(ClasspathProfile.SPARK))
 *     .cluster(LocalCluster.workers(2))
 *     .open();
 * }</pre>
 *
 * <p>{@code geneva image-deps --manifest URI} prints what a real image's directory must hold.
 */
public final class ImageLibrary {
  /** The environment variable that names a worker's image library directory. */
  public static final String ENV = "GENEVA_IMAGE_LIB";

  /** The image library directory of a worker whose environment has no {@value #ENV}. */
  public static final String DEFAULT_DIRECTORY = "/opt/app/lib";

  private ImageLibrary() {}

  /**
   * Links every jar of this JVM's class path ({@code java.class.path}) into {@code directory},
   * creating it if needed, by file name, so that the directory stands in for an image's library
   * on this machine. The first jar of a name wins, as on a class path; a link that is already there
   * is kept, so calling this again is cheap. Directories and missing entries of the class path are
   * skipped: they are not jars an image could provide.
   *
   * @return the directory
   * @throws GenevaException naming the directory, if it or a link cannot be created
   */
  public static Path linkClasspathJars(Path directory) {
    Objects.requireNonNull(directory, "directory");
    return linkJars(System.getProperty("java.class.path", ""), directory);
  }

  /** {@link #linkClasspathJars(Path)} for a class path given as text. */
  static Path linkJars(String classpath, Path directory) {
    Path link = directory;
    try {
      Files.createDirectories(directory);
      for (String entry : classpath.split(File.pathSeparator)) {
        Path jar = Path.of(entry);
        if (!entry.endsWith(".jar") || !Files.isRegularFile(jar) || jar.getFileName() == null) {
          continue;
        }
        link = directory.resolve(jar.getFileName().toString());
        if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
          Files.createSymbolicLink(link, jar.toAbsolutePath());
        }
      }
      return directory;
    } catch (IOException | UnsupportedOperationException e) {
      throw new GenevaException("cannot link this JVM's class path jars into " + directory + " (at " + link + "): "
          + e + "; pass a directory this process can write, on a file system with symbolic links", e);
    }
  }
}
