package io.geneva.maven;

import io.geneva.Task;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;

/**
 * The project's classes in the build's JVM: to check the task class before anything is shipped, and
 * to read the results (their classes are the project's, not the plugin's).
 */
final class TaskClasses {
  private TaskClasses() {}

  /** A loader over the project's runtime class path, parent first, under the plugin's loader. The caller closes it. */
  static URLClassLoader loader(List<Path> classpath, ClassLoader parent) throws MojoExecutionException {
    URL[] urls = new URL[classpath.size()];
    for (int i = 0; i < urls.length; i++) {
      try {
        urls[i] = classpath.get(i).toUri().toURL();
      } catch (MalformedURLException e) {
        throw new MojoExecutionException("class path entry " + classpath.get(i) + " has no URL: " + e, e);
      }
    }
    return new URLClassLoader("geneva-maven-project", urls, parent);
  }

  /**
   * Checks that the task class is one of the project's (its classes or runtime dependencies) and
   * implements {@link Task}.
   */
  static void check(String task, URLClassLoader projectLoader, List<Path> classpath) throws MojoFailureException {
    String name = task.strip();
    Class<?> type;
    try {
      type = Class.forName(name, false, projectLoader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new MojoFailureException("task class " + name + " (geneva.task) is not in the project: not among its"
          + " classes (" + (classpath.isEmpty() ? "none" : classpath.get(0)) + ") or its " + (classpath.size() - 1)
          + " runtime dependencies; check the name (package included) and compile first ('mvn compile geneva:run')",
          e);
    }
    if (type.getClassLoader() != projectLoader) {
      throw new MojoFailureException("task class " + name + " (geneva.task) is not in the project: it comes from "
          + (type.getClassLoader() == null ? "the JDK" : "the Geneva plugin itself")
          + "; name a task class of this project");
    }
    if (!Task.class.isAssignableFrom(type)) {
      throw new MojoFailureException("task class " + name + " (geneva.task) does not implement io.geneva.Task;"
          + " name a class that does (public, with a public no-argument constructor)");
    }
  }
}
