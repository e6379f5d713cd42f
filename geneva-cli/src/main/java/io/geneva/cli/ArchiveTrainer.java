package io.geneva.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * The class-data archive's training run, which the {@code bin/geneva} launcher starts in the
 * background after a first run with a new jar or JDK: it packages a small classpath twice (cold,
 * then unchanged) into a file store and prints help, so the archive holds the classes a user's
 * {@code geneva package} loads whatever command the first run was. Everything it writes stays in
 * the directory it is given, which the launcher removes afterwards.
 */
final class ArchiveTrainer {
  private ArchiveTrainer() {}

  /** {@code args[0]}: an empty directory to work in. Exits 0 when every training command succeeded. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: ArchiveTrainer <empty work directory>");
      System.exit(2);
    }
    System.exit(train(Path.of(args[0])));
  }

  /** Runs the training commands in {@code work}; returns the first non-zero exit code, or 0. */
  static int train(Path work) throws IOException {
    Path classes = work.resolve("classes");
    Files.createDirectories(classes.resolve("train"));
    Files.writeString(classes.resolve("train/Train.properties"), "trained=true\n", StandardCharsets.UTF_8);
    Files.writeString(classes.resolve("train/README.txt"), "a class-data archive training run\n");
    Path jar = work.resolve("train.jar");
    writeJar(jar);
    String classpath = classes + java.io.File.pathSeparator + jar;
    String[] packageArgs = {
      "package", "--storage", work.resolve("store").toUri().toString(), "--home", work.resolve("home").toString(),
      "--classpath", classpath, "--project-dir", work.toString()
    };
    PrintStream discard = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    int exit = GenevaCommand.execute(discard, discard, Map.of(), false, packageArgs);
    if (exit == 0) {
      exit = GenevaCommand.execute(discard, discard, Map.of(), false, packageArgs);
    }
    int help = GenevaCommand.execute(discard, discard, Map.of(), false, "--help");
    return exit != 0 ? exit : help;
  }

  private static void writeJar(Path jar) {
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      for (int i = 0; i < 3; i++) {
        out.putNextEntry(new JarEntry("train/lib/Entry" + i + ".txt"));
        out.write(("entry " + i + "\n").getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the training jar " + jar, e);
    }
  }
}
