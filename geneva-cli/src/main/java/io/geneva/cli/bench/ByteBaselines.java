package io.geneva.cli.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The floors for anything that reads content: reading every byte of the classpath, and SHA-256 of
 * every byte, on one or more threads, and (for a file store's cold start) SHA-256 of every byte while
 * writing it into a fresh directory. Files are streamed through a fixed buffer per thread; on
 * several threads, each takes the next file from a shared list sorted largest first, so the threads
 * finish together.
 */
final class ByteBaselines {
  private static final int BUFFER = 1 << 20;

  private final List<Path> files;
  private final long bytes;

  /**
   * @param files the files to read (the classpath's jars and every file of its directories)
   */
  ByteBaselines(List<Path> files) throws IOException {
    List<Sized> sized = new ArrayList<>(files.size());
    long total = 0;
    for (Path f : files) {
      long size = Files.size(f);
      sized.add(new Sized(f, size));
      total += size;
    }
    sized.sort(Comparator.comparingLong(Sized::size).reversed().thenComparing(Sized::path));
    this.files = sized.stream().map(Sized::path).toList();
    this.bytes = total;
  }

  private record Sized(Path path, long size) {}

  int fileCount() {
    return files.size();
  }

  long bytes() {
    return bytes;
  }

  /** Reads every byte on one thread, untimed, so later passes find the page cache warm. */
  void warmPageCache() {
    readMillis();
  }

  /** Milliseconds to read every byte on one thread. */
  long readMillis() {
    return time(1, false);
  }

  /** Milliseconds to compute the SHA-256 of every file on {@code threads} threads. */
  long sha256Millis(int threads) {
    return time(threads, true);
  }

  /**
   * Milliseconds to read every file, compute its SHA-256 and write its bytes into a new file of
   * {@code outDirectory} (which must exist and be empty), on {@code threads} threads: the least any
   * file-store cold start can do. Nothing is flushed to the disk, as the file store flushes nothing.
   */
  long copyMillis(int threads, Path outDirectory) {
    return time(threads, true, outDirectory);
  }

  private long time(int threads, boolean hash) {
    return time(threads, hash, null);
  }

  private long time(int threads, boolean hash, @Nullable Path outDirectory) {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      AtomicInteger next = new AtomicInteger();
      long started = System.nanoTime();
      List<Future<Long>> workers = new ArrayList<>(threads);
      for (int t = 0; t < threads; t++) {
        workers.add(pool.submit(() -> consume(next, hash, outDirectory)));
      }
      long read = 0;
      for (Future<Long> w : workers) {
        read += w.get();
      }
      long millis = (System.nanoTime() - started) / 1_000_000;
      if (read != bytes) {
        throw new IllegalStateException(
            "read " + read + " bytes but the files hold " + bytes + "; did the corpus change during the bench?");
      }
      return millis;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while measuring a baseline", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UncheckedIOException u) {
        throw u;
      }
      throw new IllegalStateException("a baseline failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private long consume(AtomicInteger next, boolean hash, @Nullable Path outDirectory) {
    byte[] buffer = new byte[BUFFER];
    MessageDigest md = hash ? sha256() : null;
    long read = 0;
    for (int i; (i = next.getAndIncrement()) < files.size(); ) {
      Path file = files.get(i);
      try (InputStream in = Files.newInputStream(file);
          OutputStream out =
              outDirectory == null
                  ? OutputStream.nullOutputStream()
                  : Files.newOutputStream(outDirectory.resolve(i + ".bin"), StandardOpenOption.CREATE_NEW)) {
        for (int n; (n = in.read(buffer)) != -1; ) {
          if (md != null) {
            md.update(buffer, 0, n);
          }
          out.write(buffer, 0, n);
          read += n;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file + (outDirectory == null ? "" : " or copy it into " + outDirectory), e);
      }
      if (md != null) {
        md.digest();
      }
    }
    return read;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }
}
