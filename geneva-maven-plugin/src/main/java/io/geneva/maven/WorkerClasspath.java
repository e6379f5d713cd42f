package io.geneva.maven;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;

/**
 * The class path a local worker JVM gets inside Maven. Geneva finds its runtime from the JVM's {@code
 * java.class.path}, which inside Maven is only Maven's launcher; so while a goal runs, the documented
 * override {@value #PROPERTY} is set to this plugin's own jars: Geneva's core and storage modules with
 * their dependencies, not the Kubernetes client (a worker never talks to Kubernetes) nor this plugin.
 * A value the user set is left alone.
 */
final class WorkerClasspath {
  static final String PROPERTY = "geneva.worker.classpath";
  private static final Object LOCK = new Object();

  /** A goal's work, which may fail as a goal does. */
  interface Work {
    void run() throws MojoExecutionException, MojoFailureException;
  }

  private WorkerClasspath() {}

  /**
   * Runs {@code work} with the worker class path set from the plugin's jars, then restores the property.
   * Goals of a parallel build take turns, since the property is the JVM's.
   */
  static void withRuntimeOf(PluginDescriptor plugin, Work work) throws MojoExecutionException, MojoFailureException {
    if (plugin == null || System.getProperty(PROPERTY) != null) {
      work.run();
      return;
    }
    synchronized (LOCK) {
      System.setProperty(PROPERTY, of(plugin.getArtifacts(), plugin.getArtifactId()));
      try {
        work.run();
      } finally {
        System.clearProperty(PROPERTY);
      }
    }
  }

  /** The files of the plugin's artifacts a worker needs, in order. */
  static String of(List<Artifact> artifacts, String pluginArtifactId) {
    List<String> files = new ArrayList<>();
    for (Artifact a : artifacts) {
      if (a.getFile() == null || a.getArtifactId().equals(pluginArtifactId) && "io.geneva".equals(a.getGroupId())) {
        continue;
      }
      if (onlyFor(a, "io.geneva:geneva-k8s:") || "geneva-k8s".equals(a.getArtifactId())) {
        continue;
      }
      files.add(a.getFile().getAbsolutePath());
    }
    return String.join(File.pathSeparator, files);
  }

  private static boolean onlyFor(Artifact a, String prefix) {
    List<String> trail = a.getDependencyTrail();
    return trail != null && trail.stream().anyMatch(t -> t.startsWith(prefix));
  }
}
