package io.geneva.k8s;

import io.geneva.k8s.internal.ray.CoordinatorSpec;
import java.util.List;

/**
 * The shell command a Ray job runs on the head to start Geneva's coordinator: a Java driver with
 * Geneva's library ({@value #GENEVA_LIBRARY}, as for the bootstrap) and the jars of the image's Ray
 * installation on its class path, connected to the cluster Ray's job supervisor names in {@code
 * RAY_ADDRESS}. The job's Java workers (the actors) find Geneva's classes through the job's code
 * search path, and get the session's worker JVM options through {@code ray.job.jvm-options}.
 */
final class RayEntrypoint {
  /** Where Geneva's runtime jars are in the cluster image. */
  static final String GENEVA_LIBRARY = "/opt/geneva/lib";

  /** The head's dashboard port, where the Jobs REST API is served. */
  static final int DASHBOARD_PORT = 8265;

  /** Prints the directory of the Ray installation's jars, in the image's Python. */
  private static final String RAY_JARS =
      "$(python -c 'import os, ray; print(os.path.join(os.path.dirname(ray.__file__), \"jars\"))')";

  private RayEntrypoint() {}

  /** The command, with each of the session's worker JVM options passed to the job's Java workers. */
  static String command(List<String> workerJvmOptions) {
    StringBuilder command = new StringBuilder("java -Dray.address=\"$RAY_ADDRESS\"");
    command.append(" -Dray.job.code-search-path=").append(GENEVA_LIBRARY);
    for (int i = 0; i < workerJvmOptions.size(); i++) {
      command.append(' ').append(quote("-Dray.job.jvm-options." + i + "=" + workerJvmOptions.get(i)));
    }
    command.append(" -cp \"").append(GENEVA_LIBRARY).append("/*:").append(RAY_JARS).append("/*\" ")
        .append(CoordinatorSpec.MAIN_CLASS);
    return command.toString();
  }

  /** One shell word, whatever it holds. */
  static String quote(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
