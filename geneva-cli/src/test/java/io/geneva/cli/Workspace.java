package io.geneva.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * A small project in a temporary directory: a class directory of a few files under the project and a
 * dependency jar outside it, plus a Geneva home and a file storage root.
 *
 * <p>Every file gets a fixed modification time well in the past, because Geneva re-hashes files
 * modified within two seconds of a run ("racy" timestamps) and the tests want exact counts.
 */
final class Workspace {
  static final Instant PAST = Instant.parse("2020-01-01T00:00:00Z");
  static final ObjectMapper JSON = new ObjectMapper();

  final Path project;
  final Path classes;
  final Path jar;
  final Path home;
  final Path storage;

  Workspace(Path dir) throws IOException {
    project = dir.resolve("project");
    classes = project.resolve("classes");
    jar = dir.resolve("deps").resolve("small-1.0.jar");
    home = dir.resolve("home");
    storage = dir.resolve("storage");
    write("com/example/One.txt", "one", PAST);
    write("com/example/Two.txt", "two", PAST);
    write("application.properties", "greeting=hello", PAST);
    writeJar();
  }

  /** Writes a file under the class directory with this modification time. */
  void write(String relative, String content, Instant mtime) throws IOException {
    Path file = classes.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
    Files.setLastModifiedTime(file, FileTime.from(mtime));
  }

  private void writeJar() throws IOException {
    Files.createDirectories(jar.getParent());
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file)) {
      out.putNextEntry(new JarEntry("org/dep/Dep.txt"));
      out.write("a dependency".getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    Files.setLastModifiedTime(jar, FileTime.from(PAST));
  }

  String classpath() {
    return classes + File.pathSeparator + jar;
  }

  /** The arguments of a package run into this workspace's storage and home, plus extra ones. */
  String[] packageArgs(String... extra) {
    List<String> args = new ArrayList<>(List.of(
        "package", "--storage", storage.toString(), "--home", home.toString(),
        "--classpath", classpath(), "--project-dir", project.toString()));
    args.addAll(Arrays.asList(extra));
    return args.toArray(String[]::new);
  }

  /** Packages with --json and returns the parsed report, failing on a non-zero exit. */
  JsonNode packageJson() {
    Cli.Result r = Cli.run(packageArgs("--json"));
    if (r.exit() != 0) {
      throw new AssertionError("package failed with " + r.exit() + ": " + r.err());
    }
    try {
      return JSON.readTree(r.out());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path manifestFile(String digest) {
    return storage.resolve("manifests").resolve(digest + ".json");
  }
}
