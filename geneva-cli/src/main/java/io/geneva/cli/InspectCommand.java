package io.geneva.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.geneva.ConfigurationException;
import io.geneva.EntryKind;
import io.geneva.GenevaException;
import io.geneva.Manifest;
import io.geneva.StartupReport;
import io.geneva.internal.manifest.ManifestCodec;
import io.geneva.internal.storage.StorageSelector;
import io.geneva.spi.ManifestUri;
import io.geneva.spi.ObjectKey;
import io.geneva.spi.Storage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code geneva inspect}: reads a manifest, checks it against the digest that names it, and prints
 * its runtime and packages.
 *
 * <p>A local file (a path or a {@code file:} URI) is read directly, so inspecting never writes into a
 * storage directory; any other URI is read through the storage provider for its scheme, at the root
 * found by stripping {@code /manifests/<digest>.json}.
 */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = "Prints a manifest's runtime and packages, after checking its digest.")
final class InspectCommand implements Callable<Integer> {
  private static final Pattern NAME = Pattern.compile("([0-9a-f]{64})\\.json");

  @ParentCommand private GenevaCommand geneva;

  @Parameters(
      paramLabel = "MANIFEST",
      description = "A manifest: s3://bucket/prefix/manifests/<digest>.json, a file: URI or a local path.")
  private String manifest;

  @Option(names = "--json", description = "Print the manifest as indented JSON.")
  private boolean json;

  @Option(
      names = "--verify",
      description = "Also read every package the manifest lists from its storage: check each one's size and"
          + " SHA-256, and every entry of each archive (its CRC), streaming.")
  private boolean verify;

  /** A manifest read and checked against its name. */
  record Loaded(Manifest manifest, String digest, byte[] bytes) {}

  @Override
  public Integer call() throws IOException {
    Loaded loaded = load(manifest);
    if (json) {
      ObjectMapper mapper = new ObjectMapper();
      geneva.out().println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(mapper.readTree(loaded.bytes())));
    } else {
      print(loaded.manifest(), loaded.digest(), geneva.out());
    }
    if (verify) {
      return PackageVerifier.verify(manifest, loaded.manifest(), json ? geneva.err() : geneva.out());
    }
    return 0;
  }

  /**
   * Reads a manifest named by a storage URI, a file URI or a local path, and checks it against its
   * digest.
   */
  static Loaded load(String manifest) throws IOException {
    byte[] bytes;
    String digest;
    if (isLocal(manifest)) {
      Path file = localPath(manifest);
      digest = digestFromName(manifest, file.getFileName() == null ? "" : file.getFileName().toString());
      bytes = readLocal(manifest, file);
    } else {
      ManifestUri uri = remote(manifest);
      digest = uri.digest();
      bytes = readRemote(storageRoot(uri), uri.key());
    }
    return new Loaded(ManifestCodec.decode(new ByteArrayInputStream(bytes), manifest, digest), digest, bytes);
  }

  /**
   * A manifest named by a storage URI.
   *
   * @throws ConfigurationException naming the text, if it is not {@code <storage root>/manifests/<sha256>.json}
   */
  static ManifestUri remote(String manifest) {
    URI uri;
    try {
      uri = new URI(manifest);
    } catch (URISyntaxException e) {
      throw new ConfigurationException("manifest \"" + manifest + "\" is not a valid URI (" + e.getReason()
          + "); percent-encode special characters, such as a space as %20");
    }
    try {
      return ManifestUri.of(uri);
    } catch (IllegalArgumentException e) {
      throw notAManifestName(manifest);
    }
  }

  /** The manifest's storage root, normalised as {@code Geneva.connect(String)} normalises a root. */
  static URI storageRoot(ManifestUri manifest) {
    return StorageRootOption.parse(manifest.storageRoot().toString());
  }

  static boolean isLocal(String text) {
    int colon = text.indexOf(':');
    boolean hasScheme = colon > 1 && text.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*");
    return !hasScheme || text.regionMatches(true, 0, "file:", 0, 5);
  }

  private static Path localPath(String text) {
    try {
      return text.regionMatches(true, 0, "file:", 0, 5) ? Path.of(URI.create(text)) : Path.of(text);
    } catch (IllegalArgumentException e) { // includes InvalidPathException
      throw new ConfigurationException("manifest \"" + text + "\" is not a valid path or file URI: " + e.getMessage());
    }
  }

  private static String digestFromName(String manifest, String fileName) {
    Matcher m = NAME.matcher(fileName);
    if (!m.matches()) {
      throw notAManifestName(manifest);
    }
    return m.group(1);
  }

  private static ConfigurationException notAManifestName(String manifest) {
    return new ConfigurationException(
        "\"" + manifest + "\" is not a manifest name: a manifest is <storage root>/manifests/<sha256>.json,"
            + " named by the 64 hex digits of its digest");
  }

  private static byte[] readLocal(String manifest, Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(ManifestCodec.MAX_BYTES + 1);
    } catch (NoSuchFileException e) {
      throw new ConfigurationException("manifest " + manifest + " does not exist; check the path");
    } catch (IOException e) {
      throw new GenevaException("manifest " + manifest + " cannot be read: " + e);
    }
  }

  private static byte[] readRemote(URI root, ObjectKey key) throws IOException {
    try (Storage storage = StorageSelector.open(root);
        InputStream in = storage.open(key)) {
      return in.readNBytes(ManifestCodec.MAX_BYTES + 1);
    }
  }

  private void print(Manifest m, String digest, PrintWriter out) {
    Manifest.Runtime r = m.runtime();
    out.printf(Locale.ROOT, "manifest %s%n", digest);
    out.printf(Locale.ROOT, "  format %d · java %d on %s/%s · dependencies in image: %s%n",
        m.formatVersion(), r.javaFeatureVersion(), r.os(), r.arch(), m.dependenciesInImage() ? "yes" : "no");
    if (!m.jvmOptions().isEmpty()) {
      out.printf(Locale.ROOT, "  jvm options: %s%n", String.join(" ", m.jvmOptions()));
    }
    if (!m.environment().isEmpty()) {
      // Names only: values may be secrets. --json shows the whole manifest.
      out.printf(Locale.ROOT, "  environment: %s (values not shown; see --json)%n",
          String.join(", ", new TreeSet<>(m.environment().keySet())));
    }
    Map<EntryKind, long[]> totals = new EnumMap<>(EntryKind.class);
    for (int i = 0; i < m.classpath().size(); i++) {
      Manifest.Package p = m.classpath().get(i);
      out.printf(Locale.ROOT, "  %3d  %-9s  %10s  %s  %s%n",
          i, p.kind(), StartupReport.bytes(p.size()), p.sha256().substring(0, 12), p.key());
      long[] t = totals.computeIfAbsent(p.kind(), k -> new long[2]);
      t[0]++;
      t[1] += p.size();
    }
    totals.forEach((kind, t) -> out.printf(Locale.ROOT, "  %s: %d package%s, %s%n",
        kind, t[0], t[0] == 1 ? "" : "s", StartupReport.bytes(t[1])));
  }
}
