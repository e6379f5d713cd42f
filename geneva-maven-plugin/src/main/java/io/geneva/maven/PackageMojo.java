package io.geneva.maven;

import io.geneva.GenevaSession;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * {@code mvn compile geneva:package}: ships the project's runtime class path (its classes and its
 * runtime dependencies' jars from the local repository) to Geneva storage, and prints what that did
 * and cost. No worker starts. The report is kept under {@code target/geneva/} for {@code
 * geneva:explain}.
 */
@Mojo(name = "package", requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
public class PackageMojo extends AbstractGenevaMojo {
  @Override
  void run() throws MojoExecutionException, MojoFailureException {
    try (GenevaSession session = open(sessionBuilder(classpath(), null))) {
      keep(session.startupReport());
    }
  }

  @Override
  String goal() {
    return "package";
  }
}
