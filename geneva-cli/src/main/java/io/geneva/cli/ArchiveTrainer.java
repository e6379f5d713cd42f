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
 * background after a first run with a new jar or JDK: it packages a small classpath into a file
 * store. The launcher runs it twice in the same directory, the first time to package it, the second
 * (unchanged, the start users repeat) recording the classes it loads, so the archive holds what an
 * unchanged {@code geneva package} needs and little else: a JDK 25 AOT cache loads and links every
 * class it holds at start, so a class no command needs costs every command. Everything it writes
 * stays in the directory it is given, which the launcher removes afterwards.
 */
final class ArchiveTrainer {
  private ArchiveTrainer() {}

  /** {@code args[0]}: the directory to work in. Exits with the package command's exit code. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: ArchiveTrainer <work directory>");
      System.exit(2);
    }
    System.exit(train(Path.of(args[0])));
  }

  /**
   * Packages the training classpath in {@code work}, writing it first if it is not there yet (so a
   * second run finds it unchanged); returns the command's exit code.
   */
  static int train(Path work) throws IOException {
    Path classes = work.resolve("classes");
    Path jar = work.resolve("train.jar");
    if (!Files.exists(jar)) {
      Files.createDirectories(classes.resolve("train"));
      Files.writeString(classes.resolve("train/Train.properties"), "trained=true\n", StandardCharsets.UTF_8);
      Files.writeString(classes.resolve("train/README.txt"), "a class-data archive training run\n");
      writeJar(jar);
    }
    String classpath = classes + java.io.File.pathSeparator + jar;
    PrintStream discard = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    return GenevaCommand.execute(discard, discard, Map.of(), false,
        "package", "--storage", work.resolve("store").toUri().toString(), "--home", work.resolve("home").toString(),
        "--classpath", classpath, "--project-dir", work.toString());
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
