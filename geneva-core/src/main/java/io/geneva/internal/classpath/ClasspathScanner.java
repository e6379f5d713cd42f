package io.geneva.internal.classpath;

import io.geneva.PackagingException;
import io.geneva.internal.io.FileStat;
import io.geneva.internal.io.IoProblems;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import java.util.function.Consumer;

/**
 * Walks classpath entries into {@link FileRecord}s: one stat per file, no content read. Directories
 * are walked in parallel (stat calls dominate, and they scale with cores). Symbolic links are
 * followed, as the JVM follows them; a link back to one of its own ancestors is an error naming it.
 * Excluded directories are not descended into.
 */
public final class ClasspathScanner {
  private final ExcludeMatcher excludes;
  private final Consumer<String> warnings;

  /**
   * @param excludes what not to ship
   * @param warnings receives skipped paths; called from pool threads, so it must be thread-safe
   */
  public ClasspathScanner(ExcludeMatcher excludes, Consumer<String> warnings) {
    this.excludes = Objects.requireNonNull(excludes, "excludes");
    this.warnings = Objects.requireNonNull(warnings, "warnings");
  }

  /**
   * Scans entries, walking directories on {@code pool}.
   *
   * @throws PackagingException naming the path if a directory cannot be read or has a symlink loop
   */
  public List<ScannedEntry> scanAll(List<ClasspathEntry> entries, ForkJoinPool pool) {
    List<ScannedEntry> out = new ArrayList<>(entries.size());
    for (ClasspathEntry entry : entries) {
      out.add(scan(entry, pool));
    }
    return out;
  }

  private ScannedEntry scan(ClasspathEntry entry, ForkJoinPool pool) {
    try {
      FileStat attrs = FileStat.of(entry.path());
      if (attrs.kind() == FileStat.Kind.OTHER) {
        throw notAFile("classpath entry " + entry.path(), "remove it from the classpath");
      }
      if (!entry.directory()) {
        if (!attrs.regularFile()) {
          throw new PackagingException(
              "classpath entry " + entry.path() + " was a file when the classpath was resolved and is a"
                  + " directory now; run again once the classpath is stable");
        }
        return new ScannedEntry(entry, List.of(FileRecord.of("", entry.path(), attrs)));
      }
      DirectoryTask root = new DirectoryTask(entry.path(), entry.path(), "", new Ancestors(attrs.fileKey(), null));
      pool.invoke(root);
      List<FileRecord> files = new ArrayList<>();
      root.collect(files);
      return new ScannedEntry(entry, files);
    } catch (NoSuchFileException e) {
      throw new PackagingException(
          "classpath entry " + entry.path() + " vanished while it was scanned; run again once it is stable", e);
    } catch (IOException e) {
      throw new PackagingException(
          "cannot scan classpath entry " + entry.path() + ": " + IoProblems.describe(e) + "; fix it or remove it from the classpath", e);
    }
  }

  /**
   * A FIFO would block the read forever, a device ({@code /dev/zero}, possibly behind a symbolic link)
   * never ends, and a socket cannot be read: none can be shipped, so each is refused by name.
   */
  private static PackagingException notAFile(String what, String fix) {
    return new PackagingException(
        what + " is not a regular file or a directory (a FIFO, socket or device, or a symbolic link to"
            + " one), so it cannot be shipped; " + fix);
  }

  /** A directory's child: a file, or a subdirectory being walked; sorted by {@code sortKey}. */
  private record Child(String sortKey, FileRecord file, DirectoryTask directory) {}

  /** The file keys of a directory's ancestors, to detect symbolic link loops. */
  private record Ancestors(Object key, Ancestors parent) {
    boolean contains(Object other) {
      for (Ancestors a = this; a != null; a = a.parent) {
        if (a.key != null && a.key.equals(other)) {
          return true;
        }
      }
      return false;
    }
  }

  private final class DirectoryTask extends RecursiveAction {
    private static final long serialVersionUID = 1L;
    private final transient Path root;
    private final transient Path dir;
    private final String relative;
    private final transient Ancestors ancestors;

    DirectoryTask(Path root, Path dir, String relative, Ancestors ancestors) {
      this.root = root;
      this.dir = dir;
      this.relative = relative;
      this.ancestors = ancestors;
    }

    /** This directory's files and subdirectories, sorted; set by {@link #compute}. */
    private List<Child> sorted = List.of();

    /**
     * Lists this directory and forks a task per subdirectory, without waiting for them: {@link
     * #collect} joins them, so no pool thread blocks on another and no level copies the files of the
     * levels below it. Sorting each directory's children by name, with a '/' after directory names,
     * gives the order of sorting all relative paths at once, without that global sort.
     */
    @Override
    protected void compute() {
      List<Child> children = new ArrayList<>();
      try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
        for (Path child : stream) {
          String name = child.getFileName().toString();
          String rel = relative.isEmpty() ? name : relative + "/" + name;
          FileStat attrs;
          try {
            attrs = FileStat.of(child);
          } catch (NoSuchFileException e) {
            // A dangling symbolic link, or a file deleted during the walk: the JVM would not see it either.
            warnings.accept("skipped " + child + ": it does not exist (a dangling symbolic link?)");
            continue;
          }
          if (attrs.directory()) {
            if (excludes.excludesChildOfIncluded(rel, true)) {
              continue;
            }
            if (ancestors.contains(attrs.fileKey())) {
              throw new PackagingException(
                  "symbolic link loop at " + child + " (under classpath entry " + root
                      + "): it leads back to one of its own parent directories; remove the link or"
                      + " exclude \"" + rel + "/\"");
            }
            DirectoryTask task = new DirectoryTask(root, child, rel, new Ancestors(attrs.fileKey(), ancestors));
            task.fork();
            children.add(new Child(name + "/", null, task));
          } else if (!excludes.excludesChildOfIncluded(rel, false)) {
            if (!attrs.regularFile()) {
              throw notAFile(
                  child + " (under classpath entry " + root + ")", "remove it or exclude \"" + rel + "\"");
            }
            children.add(new Child(name, FileRecord.of(rel, child, attrs), null));
          }
        }
      } catch (AccessDeniedException e) {
        throw new PackagingException(
            "cannot read directory " + dir + " (under classpath entry " + root
                + "): permission denied; fix its permissions or exclude \"" + relative + "/\"",
            e);
      } catch (NoSuchFileException e) {
        warnings.accept("skipped " + dir + ": it vanished while it was scanned");
      } catch (IOException e) {
        throw new PackagingException(
            "cannot read directory " + dir + " (under classpath entry " + root + "): " + IoProblems.describe(e)
                + "; fix it or exclude \"" + relative + "/\"",
            e);
      }
      children.sort(Comparator.comparing(Child::sortKey));
      sorted = children;
    }

    /** Appends this directory's files and its subdirectories', in relative path order, once walked. */
    void collect(List<FileRecord> out) {
      for (Child c : sorted) {
        if (c.file() != null) {
          out.add(c.file());
        } else {
          c.directory().join();
          c.directory().collect(out);
        }
      }
    }
  }
}
