package io.geneva.cli;

import io.geneva.ConfigurationException;
import io.geneva.Manifest;
import io.geneva.internal.fingerprint.Sha256;
import io.geneva.internal.storage.StorageSelector;
import io.geneva.spi.ManifestUri;
import io.geneva.spi.ObjectKey;
import io.geneva.spi.Storage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.Locale;
import java.util.zip.CRC32;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * {@code geneva inspect --verify}: reads every package a manifest lists from the storage the manifest
 * is in, and checks its size and SHA-256 and, for an archive, every entry's CRC, with Commons
 * Compress's {@link ZipFile} (an implementation independent of the JDK's and of Geneva's writer).
 * Streaming: a package in a local storage is read in place (nothing is written there), any other is
 * copied to a temporary file first (a zip is read from its end); none is held in memory.
 */
final class PackageVerifier {
  private PackageVerifier() {}

  /** Returns the exit code: 0 when every package checks out, 1 otherwise (each failure printed). */
  static int verify(String manifestName, Manifest manifest, PrintWriter out) throws IOException {
    Path local = localRoot(manifestName);
    // A local storage is read in place, so verifying never writes into it (FileStorage.open would).
    Storage storage = local == null ? StorageSelector.open(remoteRoot(manifestName)) : null;
    int failed = 0;
    int checked = 0;
    long entries = 0;
    try {
      for (Manifest.Package p : manifest.classpath()) {
        if (p.provided() != null) {
          continue; // in the worker image, not in storage
        }
        String result;
        try {
          result = local != null ? check(p, local.resolve(p.key())) : checkRemote(storage, p);
        } catch (IOException e) {
          result = "cannot be read: " + e;
        }
        if (result.startsWith("ok ")) {
          checked++;
          entries += Long.parseLong(result.substring(3));
        } else {
          failed++;
          out.printf(Locale.ROOT, "  FAILED %s: %s%n", p.key(), result);
        }
      }
    } finally {
      if (storage != null) {
        storage.close();
      }
    }
    out.printf(Locale.ROOT, "  verified %d package%s (%d archive entries)%s%n", checked, checked == 1 ? "" : "s",
        entries, failed == 0 ? "" : "; " + failed + " failed: package the classpath again to upload them");
    out.flush();
    return failed == 0 ? 0 : 1;
  }

  private static String checkRemote(Storage storage, Manifest.Package p) throws IOException {
    Path copy = Files.createTempFile("geneva-verify-", ".pkg");
    try {
      try (InputStream in = storage.open(ObjectKey.of(p.key()));
          OutputStream file = Files.newOutputStream(copy)) {
        in.transferTo(file);
      } catch (NoSuchFileException e) {
        return "missing from storage";
      }
      return check(p, copy);
    } finally {
      Files.deleteIfExists(copy);
    }
  }

  /** "ok N" (N archive entries checked) or what is wrong with the package in {@code file}. */
  private static String check(Manifest.Package p, Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return "missing from storage (" + file + ")";
    }
    MessageDigest md = Sha256.newDigest();
    long size;
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
      size = in.transferTo(OutputStream.nullOutputStream());
    }
    String digest = Sha256.hex(md.digest());
    if (size != p.size()) {
      return "has " + size + " bytes, not " + p.size() + " as the manifest records";
    }
    if (!digest.equals(p.sha256())) {
      return "has SHA-256 " + digest + ", not " + p.sha256() + " as the manifest records";
    }
    if (!p.key().endsWith(".jar") && !p.key().endsWith(".zip")) {
      return "ok 0";
    }
    long entries = 0;
    byte[] buffer = new byte[1 << 16];
    try (ZipFile zip = ZipFile.builder().setPath(file).get()) {
      for (ZipArchiveEntry e : Collections.list(zip.getEntries())) {
        CRC32 crc = new CRC32();
        try (InputStream in = zip.getInputStream(e)) {
          for (int n; (n = in.read(buffer)) != -1; ) {
            crc.update(buffer, 0, n);
          }
        }
        if (!e.isDirectory() && crc.getValue() != e.getCrc()) {
          return "entry " + e.getName() + " fails its CRC";
        }
        entries++;
      }
    } catch (IOException e) {
      return "is not a readable zip: " + e.getMessage();
    }
    return "ok " + entries;
  }

  /** The local storage root of a local manifest (a path or file: URI), or null for a remote one. */
  private static Path localRoot(String manifest) {
    if (!InspectCommand.isLocal(manifest)) {
      return null;
    }
    Path file = manifest.regionMatches(true, 0, "file:", 0, 5) ? Path.of(URI.create(manifest)) : Path.of(manifest);
    try {
      return Path.of(ManifestUri.of(file.toAbsolutePath().toUri()).storageRoot());
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(
          "--verify needs the manifest inside its storage, at <storage root>/manifests/<sha256>.json, not "
              + manifest + "; inspect the manifest where it is stored");
    }
  }

  /** The storage root of a remote manifest: what precedes {@code manifests/<digest>.json}. */
  private static URI remoteRoot(String manifest) {
    return InspectCommand.storageRoot(InspectCommand.remote(manifest));
  }
}
