package io.geneva.internal.pack;

import io.geneva.internal.fingerprint.Fingerprinter.Fingerprint;
import io.geneva.internal.fingerprint.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * A set of files of one directory that is packed into one archive.
 *
 * @param name display suffix, for example {@code #3} or {@code #volatile}
 * @param files the files, sorted by relative path
 * @param volatileFiles whether this is the shard of files that change on most runs
 * @param key the shard's identity: a digest of its files' paths, sizes and digests and of the
 *     archive format, so equal keys always produce equal archives
 */
public record Shard(String name, List<Fingerprint> files, boolean volatileFiles, String key) {
  /** Copies the list. */
  public Shard {
    files = List.copyOf(files);
  }

  /** A shard of these files, with its key computed. */
  public static Shard of(String name, List<Fingerprint> files, boolean volatileFiles) {
    return new Shard(name, files, volatileFiles, keyOf(files));
  }

  private static String keyOf(List<Fingerprint> files) {
    MessageDigest md = Sha256.newDigest();
    md.update(("geneva-shard/" + ArchiveWriter.FORMAT + "\n").getBytes(StandardCharsets.UTF_8));
    for (Fingerprint f : files) {
      md.update(f.file().relativePath().getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
      long size = f.file().size();
      for (int shift = 56; shift >= 0; shift -= 8) {
        md.update((byte) (size >>> shift));
      }
      md.update(f.sha256().getBytes(StandardCharsets.ISO_8859_1));
      md.update((byte) '\n');
    }
    return Sha256.hex(md.digest());
  }

  /** Total size of the files. */
  public long bytes() {
    long sum = 0;
    for (Fingerprint f : files) {
      sum += f.file().size();
    }
    return sum;
  }
}
