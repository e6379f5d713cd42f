package io.geneva.internal.pack;

import io.geneva.PackagingException;
import io.geneva.internal.fingerprint.Fingerprinter.Change;
import io.geneva.internal.fingerprint.Fingerprinter.Fingerprint;
import io.geneva.internal.fingerprint.Fingerprinter;
import io.geneva.internal.fingerprint.Sha256;
import io.geneva.internal.io.FileOpener;
import io.geneva.internal.io.PrivateFiles;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Writes a shard as a deterministic zip that is also a valid jar: entries in path order with their
 * parent directories, one fixed timestamp, no permissions or extra fields ({@link ZipWriter}).
 * Compressible files up to {@link #SMALL_FILE_BYTES} are deflated by {@link FixedHuffmanDeflater},
 * whose output depends only on the input; larger ones stream through zlib at level 1 (so their bytes
 * can differ between zlib versions); already-compressed files are stored.
 *
 * <p>Every file is hashed as it is read. A file with a known digest that reads differently fails with
 * {@link ContentChangedException} instead of producing a wrong archive; a file whose digest was
 * deferred (the first time its directory is packed) gets its digest here, so it is read only once.
 *
 * <p>Not thread-safe: one writer per thread.
 */
public final class ArchiveWriter {
  /** Bumped whenever the bytes this writer produces change. */
  public static final int FORMAT = 2;

  /** Files up to this size are read whole into memory and compressed in one call. */
  static final int SMALL_FILE_BYTES = 1 << 20;

  /** How much of a large file is test-compressed to decide whether compressing it pays. */
  private static final int SAMPLE_BYTES = 256 * 1024;

  private static final Set<String> STORED_EXTENSIONS =
      Set.of(
          "jar", "zip", "war", "ear", "gz", "tgz", "bz2", "xz", "zst", "lz4", "7z", "snappy",
          "png", "jpg", "jpeg", "gif", "webp", "mp3", "mp4", "mov", "avi", "woff", "woff2",
          "parquet", "orc", "avro");

  private final FileOpener opener;
  private final LongConsumer progress;
  private final FixedHuffmanDeflater deflater = new FixedHuffmanDeflater();
  private final byte[] copyBuffer = new byte[Sha256.BUFFER_SIZE];
  private byte[] content = new byte[64 * 1024];

  /**
   * @param opener opens source files
   * @param progress receives counts of source bytes written into archives
   */
  public ArchiveWriter(FileOpener opener, LongConsumer progress) {
    this.opener = opener;
    this.progress = progress;
  }

  /** A file read for an archive did not have the content it was fingerprinted with. */
  public static final class ContentChangedException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Fingerprint file;

    ContentChangedException(Fingerprint file) {
      super(file.file().file() + " changed since it was fingerprinted");
      this.file = file;
    }

    /** The file that changed. */
    public Fingerprint file() {
      return file;
    }
  }

  /**
   * The archive written.
   *
   * @param sha256 hex digest of the archive bytes
   * @param size archive size
   * @param files the files as packed, with the digests of deferred ones filled in
   * @param bytesHashed bytes of deferred files read and hashed here
   */
  public record Written(String sha256, long size, List<Fingerprint> files, long bytesHashed) {}

  /** Writes the files into {@code target} (created or replaced). */
  public Written write(List<Fingerprint> files, Path target) throws IOException {
    MessageDigest archiveDigest = Sha256.newDigest();
    List<Fingerprint> packed = new ArrayList<>(files.size());
    long hashed = 0;
    long size;
    try (OutputStream file = PrivateFiles.newOutputStream(target)) {
      OutputStream buffered = new BufferedOutputStream(new DigestOutputStream(file, archiveDigest), 1 << 16);
      ZipWriter zip = new ZipWriter(buffered);
      Set<String> directories = new HashSet<>();
      for (Fingerprint f : files) {
        String name = f.file().relativePath();
        addParents(zip, name, directories);
        String digest = f.file().size() <= SMALL_FILE_BYTES ? writeSmall(zip, f) : writeLarge(zip, f);
        if (f.change() == Change.DEFERRED) {
          hashed += f.file().size();
          packed.add(new Fingerprint(f.file(), digest, Change.ADDED));
        } else {
          packed.add(f);
        }
      }
      zip.finish();
      buffered.flush();
      size = zip.written();
    }
    return new Written(Sha256.hex(archiveDigest.digest()), size, packed, hashed);
  }

  static boolean stored(String name) {
    int dot = name.lastIndexOf('.');
    return dot >= 0 && STORED_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  private static void addParents(ZipWriter zip, String name, Set<String> written) throws IOException {
    for (int slash = name.indexOf('/'); slash >= 0; slash = name.indexOf('/', slash + 1)) {
      String dir = name.substring(0, slash + 1);
      if (written.add(dir)) {
        zip.entry(dir, ZipWriter.STORED, 0, 0, new byte[0], 0);
      }
    }
  }

  /** Reads the file whole, checks or computes its digest, and writes it compressed or stored. */
  private String writeSmall(ZipWriter zip, Fingerprint f) throws IOException {
    int expected = (int) f.file().size();
    if (content.length < expected + 1) {
      content = new byte[Math.max(expected + 1, Math.min(content.length * 2, SMALL_FILE_BYTES + 1))];
    }
    int length;
    try (InputStream in = opener.open(f.file().file())) {
      // Read one byte past the expected size, to notice a file that grew.
      length = readFully(in, content, expected + 1);
    } catch (IOException e) {
      throw unreadable(f, e);
    }
    String digest = Sha256.hex(digestOf(content, length));
    checkContent(f, length, digest);
    CRC32 crc = new CRC32();
    crc.update(content, 0, length);
    String name = f.file().relativePath();
    if (!stored(name)) {
      int compressed = deflater.deflate(content, length);
      if (compressed < length) {
        zip.entry(name, ZipWriter.DEFLATED, crc.getValue(), length, deflater.output(), compressed);
        progress.accept(length);
        return digest;
      }
    }
    zip.entry(name, ZipWriter.STORED, crc.getValue(), length, content, length);
    progress.accept(length);
    return digest;
  }

  /**
   * Streams a large file. Whether to compress it is decided from its name and its first bytes, so
   * random or already-compressed data is not pushed through zlib for nothing. Stored ones need their
   * CRC first, so they are read twice.
   */
  private String writeLarge(ZipWriter zip, Fingerprint f) throws IOException {
    String name = f.file().relativePath();
    if (stored(name) || !compressible(f)) {
      CRC32 crc = new CRC32();
      String digest = copy(f, OutputStream.nullOutputStream(), crc, false);
      zip.beginKnown(name, ZipWriter.STORED, crc.getValue(), f.file().size(), f.file().size());
      CRC32 again = new CRC32();
      copy(new Fingerprint(f.file(), digest, Change.UNCHANGED), zip.stream(), again, true);
      zip.endKnown();
      return digest;
    }
    zip.beginStreamed(name, ZipWriter.DEFLATED);
    long dataStart = zip.written();
    Deflater zlib = new Deflater(Deflater.BEST_SPEED, true);
    CRC32 crc = new CRC32();
    String digest;
    try {
      DeflaterOutputStream out = new DeflaterOutputStream(zip.stream(), zlib, 1 << 16);
      digest = copy(f, out, crc, true);
      out.finish();
    } finally {
      zlib.end();
    }
    zip.endStreamed(crc.getValue(), zip.written() - dataStart, f.file().size());
    return digest;
  }

  /** Whether the file's first {@link #SAMPLE_BYTES} shrink by at least a tenth. */
  private boolean compressible(Fingerprint f) throws IOException {
    int length;
    try (InputStream in = opener.open(f.file().file())) {
      length = in.readNBytes(copyBuffer, 0, SAMPLE_BYTES);
    } catch (IOException e) {
      throw unreadable(f, e);
    }
    return deflater.deflate(copyBuffer, length) < length - length / 10;
  }

  /** Copies a file to {@code out}, hashing it; checks its size and (unless deferred) its digest. */
  private String copy(Fingerprint f, OutputStream out, CRC32 crc, boolean countProgress) throws IOException {
    MessageDigest md = Sha256.newDigest();
    long size = 0;
    // One byte past the fingerprinted size shows that the file grew; reading on could be endless.
    long limit = f.file().size() + 1;
    try (InputStream in = opener.open(f.file().file())) {
      for (int n; size < limit && (n = read(f, in, (int) Math.min(copyBuffer.length, limit - size))) != -1; ) {
        md.update(copyBuffer, 0, n);
        crc.update(copyBuffer, 0, n);
        out.write(copyBuffer, 0, n);
        size += n;
        if (countProgress) {
          progress.accept(n);
        }
      }
    } catch (java.nio.file.NoSuchFileException | java.nio.file.AccessDeniedException e) {
      throw unreadable(f, e);
    }
    String digest = Sha256.hex(md.digest());
    checkContent(f, size, digest);
    return digest;
  }

  /**
   * Checks that what was read is the file as fingerprinted. A file whose digest was deferred has no
   * digest to compare, so it is stat-ed again instead: a file rewritten while it was read must not
   * ship as a torn mix of old and new bytes.
   */
  private static void checkContent(Fingerprint f, long length, String digest) throws IOException {
    if (length != f.file().size()) {
      throw new ContentChangedException(f);
    }
    if (f.change() == Change.DEFERRED) {
      if (!Fingerprinter.restat(f.file()).equals(f.file())) {
        throw new ContentChangedException(f);
      }
    } else if (!digest.equals(f.sha256())) {
      throw new ContentChangedException(f);
    }
  }

  private static int readFully(InputStream in, byte[] into, int max) throws IOException {
    int length = 0;
    for (int n; length < max && (n = in.read(into, length, max - length)) > 0; ) {
      length += n;
    }
    return length;
  }

  private int read(Fingerprint f, InputStream in, int max) {
    try {
      return in.read(copyBuffer, 0, max);
    } catch (IOException e) {
      throw unreadable(f, e);
    }
  }

  /** A source file that cannot be read: the user's problem to fix, named as such. */
  private static PackagingException unreadable(Fingerprint f, IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return new PackagingException(
          f.file().file() + " vanished while it was packed; run again once the classpath is stable", e);
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return new PackagingException(
          "cannot read " + f.file().file() + ": permission denied; fix its permissions or exclude it", e);
    }
    return new PackagingException("cannot read " + f.file().file() + ": " + e + "; fix it or exclude it", e);
  }

  private static byte[] digestOf(byte[] data, int length) {
    MessageDigest md = Sha256.newDigest();
    md.update(data, 0, length);
    return md.digest();
  }
}
