package io.geneva.cli;

import io.geneva.internal.classpath.ClasspathEntry;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.function.Supplier;

/**
 * The classes of a shipped classpath in this JVM, so the command can read what its tasks return: a
 * job's results are deserialized with the thread's context class loader, and their classes (a task's
 * result record) live on the shipped classpath, not on the command's own.
 */
final class ResultClassLoader {
  private ResultClassLoader() {}

  /**
   * A loader over these entries (wildcards already expanded), delegating to {@code parent} first as
   * {@code java -cp} would. The caller closes it.
   */
  static URLClassLoader over(List<ClasspathEntry> entries, ClassLoader parent) {
    URL[] urls = new URL[entries.size()];
    for (int i = 0; i < urls.length; i++) {
      try {
        urls[i] = entries.get(i).path().toUri().toURL();
      } catch (MalformedURLException e) {
        throw new UncheckedIOException("classpath entry " + entries.get(i).path() + " has no URL", e);
      }
    }
    return new URLClassLoader("geneva-run-classpath", urls, parent);
  }

  /** Runs {@code work} with {@code loader} as this thread's context class loader, then restores the previous one. */
  static <T> T withContextLoader(ClassLoader loader, Supplier<T> work) {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      return work.get();
    } finally {
      thread.setContextClassLoader(previous);
    }
  }
}
