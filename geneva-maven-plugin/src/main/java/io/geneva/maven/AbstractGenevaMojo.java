package io.geneva.maven;

import io.geneva.ClusterSpec;
import io.geneva.ConfigurationException;
import io.geneva.Geneva;
import io.geneva.GenevaException;
import io.geneva.GenevaSession;
import io.geneva.PackagingException;
import io.geneva.StartupReport;
import io.geneva.StorageException;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * What every Geneva goal shares: the session options of {@link GenevaSession.Builder}, under the
 * builder's names, each also a {@code geneva.*} user property, and the project's runtime class path.
 *
 * <p>Storage credentials have no option here on purpose: they never belong in a POM. An {@code s3://}
 * root uses the AWS SDK's default chains (environment, {@code ~/.aws}, instance or pod roles).
 *
 * <p>Errors: a setting that cannot work (a bad storage root, a missing class, a missing file) is a
 * {@link MojoFailureException} naming the setting and the fix; Geneva failing at run time (storage
 * down, a worker that cannot start) is a {@link MojoExecutionException}.
 */
abstract class AbstractGenevaMojo extends AbstractMojo {
  /** Where the goals keep the startup reports that {@code geneva:explain} reads. */
  static final String REPORT_DIRECTORY = "geneva";

  /**
   * The storage root: {@code s3://bucket/prefix}, {@code file:///srv/geneva} or a local path (relative
   * to the project). Default: file storage under the Geneva home. Never put credentials in it.
   */
  @Parameter(property = "geneva.storageRoot")
  String storageRoot;

  /** Geneva's home (fingerprint index, record of stored objects). Default: GENEVA_HOME, or ~/.geneva. */
  @Parameter(property = "geneva.home")
  File home;

  /** Gitignore-style patterns, relative to each class path directory, for files not to ship. */
  @Parameter(property = "geneva.excludes")
  List<String> excludes = new ArrayList<>();

  /** Whether the default excludes (.git/, IDE and build-cache directories) apply. */
  @Parameter(property = "geneva.defaultExcludes", defaultValue = "true")
  boolean defaultExcludes = true;

  /** Skip a class path entry that does not exist, with a warning, instead of failing. */
  @Parameter(property = "geneva.skipMissingEntries", defaultValue = "false")
  boolean skipMissingEntries;

  /** How many threads hash and pack. Default: the number of processors. */
  @Parameter(property = "geneva.parallelism")
  Integer parallelism;

  /**
   * How long Geneva trusts its record that storage holds an object: 30s, 10m, 12h, 7d or ISO-8601.
   * Default: one hour.
   */
  @Parameter(property = "geneva.storageRecheckAfter")
  String storageRecheckAfter;

  /** Read back every stored package this session uses and check its digest. */
  @Parameter(property = "geneva.verifyStorage", defaultValue = "false")
  boolean verifyStorage;

  /** The workers' image holds the dependency jars: record them by name and SHA-256, do not upload them. */
  @Parameter(property = "geneva.dependenciesInImage", defaultValue = "false")
  boolean dependenciesInImage;

  /** Extra JVM options for workers, recorded in the manifest. */
  @Parameter(property = "geneva.jvmOptions")
  List<String> jvmOptions = new ArrayList<>();

  /** Extra environment variables for workers, recorded in the manifest (never secrets). */
  @Parameter
  Map<String, String> environment = new LinkedHashMap<>();

  /** Class path directories under it are workspace code. */
  @Parameter(property = "geneva.projectDirectory", defaultValue = "${project.basedir}")
  File projectDirectory;

  /** Skips the goal. */
  @Parameter(property = "geneva.skip", defaultValue = "false")
  boolean skip;

  /** The project's compiled classes. */
  @Parameter(defaultValue = "${project.build.outputDirectory}", readonly = true, required = true)
  File outputDirectory;

  /** The project's build directory, where the startup reports go. */
  @Parameter(defaultValue = "${project.build.directory}", readonly = true, required = true)
  File buildDirectory;

  /** The project's runtime class path: its classes, then its compile and runtime dependencies' jars. */
  @Parameter(defaultValue = "${project.runtimeClasspathElements}", readonly = true, required = true)
  List<String> classpathElements;

  @Override
  public final void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("Geneva: skipped (geneva.skip)");
      return;
    }
    run();
  }

  abstract void run() throws MojoExecutionException, MojoFailureException;

  /** The project's runtime class path, checked: the classes must have been compiled. */
  List<Path> classpath() throws MojoFailureException {
    if (!outputDirectory.isDirectory()) {
      throw new MojoFailureException("the project's classes " + outputDirectory + " do not exist: it is not"
          + " compiled; run the goal after compile, e.g. 'mvn compile geneva:" + goal() + "'");
    }
    List<Path> entries = new ArrayList<>();
    for (String element : classpathElements) {
      entries.add(Path.of(element));
    }
    return entries;
  }

  /** This goal's name, for messages. */
  abstract String goal();

  /** A session builder with every option this goal was configured with. */
  GenevaSession.Builder sessionBuilder(List<Path> classpath, ClusterSpec cluster) throws MojoFailureException {
    GenevaSession.Builder builder = connect();
    builder.classpath(classpath)
        .excludes(excludes)
        .defaultExcludes(defaultExcludes)
        .skipMissingEntries(skipMissingEntries)
        .verifyStorage(verifyStorage)
        .dependenciesInImage(dependenciesInImage)
        .jvmOptions(jvmOptions)
        .environment(environment)
        .projectDirectory(projectDirectory.toPath());
    if (home != null) {
      builder.home(home.toPath());
    }
    if (parallelism != null) {
      if (parallelism < 1) {
        throw new MojoFailureException("parallelism (geneva.parallelism) must be at least 1, not " + parallelism
            + "; leave it unset for one thread per processor");
      }
      builder.parallelism(parallelism);
    }
    if (storageRecheckAfter != null) {
      builder.storageRecheckAfter(Durations.parse("storageRecheckAfter", storageRecheckAfter));
    }
    if (cluster != null) {
      builder.cluster(cluster);
    }
    return builder;
  }

  private GenevaSession.Builder connect() throws MojoFailureException {
    if (storageRoot == null || storageRoot.isBlank()) {
      return Geneva.connect();
    }
    String root = storageRoot.strip();
    // A relative local path means the project's directory, not wherever Maven was started.
    if (!root.matches("[A-Za-z][A-Za-z0-9+.-]+:.*")) {
      root = projectDirectory.toPath().resolve(root).toString();
    }
    GenevaSession.Builder builder;
    try {
      builder = Geneva.connect(root);
    } catch (ConfigurationException e) {
      throw new MojoFailureException(badStorageRoot(e.getMessage()), e);
    }
    URI uri = Geneva.storageRoot(root);
    if ("file".equals(uri.getScheme()) && Files.exists(Path.of(uri)) && !Files.isDirectory(Path.of(uri))) {
      throw new MojoFailureException(badStorageRoot(Path.of(uri) + " is a file, not a directory"));
    }
    return builder;
  }

  static String badStorageRoot(String problem) {
    return "storageRoot (geneva.storageRoot) is not usable: " + problem + ". Set <storageRoot> or"
        + " -Dgeneva.storageRoot to a local path, file:///dir or s3://bucket/prefix; credentials come from"
        + " the environment, never the POM";
  }

  /**
   * Opens the session, turning Geneva's errors into Maven's: what the configuration got wrong fails
   * the build naming it, anything else is an execution error.
   */
  GenevaSession open(GenevaSession.Builder builder) throws MojoExecutionException, MojoFailureException {
    try {
      return builder.open();
    } catch (ConfigurationException e) {
      String message = e.getMessage();
      throw new MojoFailureException(message.contains("storage root")
          ? badStorageRoot(message) : "Geneva cannot start with this configuration: " + message, e);
    } catch (StorageException e) {
      // A root that is a file or not writable is a setting to fix; a store that is down is not.
      if (!e.retryable() && storageRoot != null && e.getMessage().contains("storage root")) {
        throw new MojoFailureException(badStorageRoot(e.getMessage()), e);
      }
      throw new MojoExecutionException("Geneva's storage failed: " + e.getMessage(), e);
    } catch (PackagingException e) {
      throw new MojoFailureException("cannot package the project's class path: " + e.getMessage(), e);
    } catch (GenevaException e) {
      throw new MojoExecutionException("Geneva could not open a session: " + e.getMessage(), e);
    }
  }

  /** Prints the report's summary and keeps it (and the one before) for {@code geneva:explain}. */
  void keep(StartupReport report) throws MojoExecutionException {
    report.summary().lines().forEach(getLog()::info);
    Path dir = buildDirectory.toPath().resolve(REPORT_DIRECTORY);
    try {
      Files.createDirectories(dir);
      Path latest = dir.resolve(StartupReports.LATEST);
      if (Files.exists(latest)) {
        Files.move(latest, dir.resolve(StartupReports.PREVIOUS), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      Files.writeString(latest, report.toJson());
    } catch (IOException e) {
      throw new MojoExecutionException("cannot write the startup report under " + dir + ": " + e
          + "; check that the build directory is writable", e);
    }
  }

  static Duration durationOrNull(String option, String text) throws MojoFailureException {
    return text == null ? null : Durations.parse(option, text);
  }
}
