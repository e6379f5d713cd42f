package io.geneva.internal.cluster;

import io.geneva.GenevaException;
import io.geneva.internal.fingerprint.Sha256;
import io.geneva.internal.storage.StorageSelector;
import io.geneva.internal.worker.StateFile;
import io.geneva.spi.Content;
import io.geneva.spi.ManifestUri;
import io.geneva.spi.ObjectKey;
import io.geneva.spi.Storage;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Turns a training run's output into a stored class-data archive: for JDK 24+, runs the JDK's
 * assembly step ({@code -XX:AOTMode=create}) on the recorded configuration; then hashes the archive
 * and stores it content-addressed beside the manifest with its key record, and clears the training
 * directory. Run detached by a local cluster after its training worker exited, so no session waits
 * for the assembly (seconds to tens of seconds for thousands of classes).
 *
 * <pre>
 * java -cp &lt;geneva runtime&gt; io.geneva.internal.cluster.ClassDataAssembler TRAINING_DIR JAVA
 * </pre>
 */
public final class ClassDataAssembler {
  private ClassDataAssembler() {}

  /** Assembles and exits with 0, or 1 with one line on standard error. */
  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("geneva class-data assembler: expected TRAINING_DIR JAVA; this program is started by"
          + " Geneva's local provisioner, not by hand");
      System.exit(2);
    }
    try {
      System.out.println("geneva class-data assembler: " + assemble(Path.of(args[0]), Path.of(args[1])));
      System.exit(0);
    } catch (GenevaException | IOException e) {
      System.err.println("geneva class-data assembler: " + e.getMessage());
      System.exit(1);
    }
  }

  /**
   * Assembles the training output in a directory, if there is one, holding the directory's lock
   * (so a second assembler waits, then finds nothing to do).
   *
   * @return what was done
   */
  static String assemble(Path dir, Path java) throws IOException {
    try (FileChannel channel = FileChannel.open(dir.resolve("assembler.lock"), StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      Path keyFile = dir.resolve(ClassDataCache.KEY_FILE);
      if (!Files.exists(keyFile)) {
        return "nothing to assemble in " + dir;
      }
      Properties key = StateFile.read(keyFile);
      String format = key.getProperty("format", "");
      Path archive;
      if ("aot".equals(format)) {
        Path conf = dir.resolve("train.aotconf");
        if (!Files.exists(conf)) {
          return "the training worker has not written " + conf + " yet";
        }
        archive = dir.resolve("train.aot");
        Files.deleteIfExists(archive);
        Process p = new ProcessBuilder(List.of(java.toString(), "-XX:AOTMode=create", "-XX:AOTConfiguration=" + conf,
            "-XX:AOTCache=" + archive, "-cp", key.getProperty("classpath", "")))
            .redirectErrorStream(true).redirectOutput(dir.resolve("assemble.log").toFile()).start();
        p.getOutputStream().close();
        try {
          if (p.waitFor() != 0) {
            clear(dir);
            return "the JDK could not assemble the AOT cache (see " + dir.resolve("assemble.log") + ")";
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          p.destroyForcibly();
          return "interrupted";
        }
      } else {
        archive = dir.resolve("train.jsa");
      }
      if (!Files.isRegularFile(archive) || Files.size(archive) == 0) {
        clear(dir);
        return "the training produced no archive";
      }
      ManifestUri manifest = ManifestUri.parse(key.getProperty("manifest", ""));
      ClassDataCache.Jdk jdk = ClassDataCache.Jdk.fromProperties(key);
      Sha256.Hashed hashed = Sha256.hashFile(archive);
      try (Storage storage = StorageSelector.open(manifest.storageRoot())) {
        storage.put(ObjectKey.of(ClassDataCache.PREFIX + manifest.digest() + "/" + hashed.sha256() + "." + format),
            Content.ofFile(archive, hashed.size(), hashed.sha256()));
        Properties pointer = jdk.toProperties();
        pointer.setProperty("format", format);
        pointer.setProperty("sha256", hashed.sha256());
        pointer.setProperty("size", Long.toString(hashed.size()));
        pointer.setProperty("manifest", manifest.digest());
        StringWriter text = new StringWriter();
        pointer.store(text, "geneva class data");
        storage.put(ClassDataCache.pointerKey(manifest.digest(), key.getProperty("key", "")),
            Content.ofBytes(text.toString().getBytes(StandardCharsets.UTF_8)));
      }
      clear(dir);
      return "stored class data " + hashed.sha256().substring(0, 12) + " (" + hashed.size() + " bytes) for "
          + jdk.describe();
    }
  }

  /** Deletes the training files (not the lock, which this process holds). */
  private static void clear(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        if (!f.getFileName().toString().equals("assembler.lock") && !f.getFileName().toString().equals("assemble.log")) {
          Files.deleteIfExists(f);
        }
      }
    }
  }
}
