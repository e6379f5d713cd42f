package io.geneva.cli.bench;

import io.geneva.Geneva;
import io.geneva.GenevaSession;
import io.geneva.StartupReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Opens Geneva sessions in this JVM the way every scenario does, and returns what they report. */
final class Sessions {
  /** Threads for hashing and packing: fixed, so runs on different machines compare. */
  static final int PARALLELISM = 2;

  private Sessions() {}

  /** Opens (and closes) one session over {@code classpath} with {@code store}'s home and storage. */
  static StartupReport open(WorkArea.Store store, List<Path> classpath, Path projectDirectory) {
    // Start each measured session on a clean heap, so it does not pay for the previous one's garbage.
    System.gc();
    try (GenevaSession session =
        Geneva.connect(store.storage().toString())
            .home(store.home())
            .classpath(classpath)
            .projectDirectory(projectDirectory)
            .parallelism(PARALLELISM)
            .open()) {
      return session.startupReport();
    }
  }

  /** The classpath under test: a workspace directory, every dependency jar, then a notebook directory. */
  static List<Path> classpath(Path workspace, List<Path> jars, Path notebook) {
    List<Path> entries = new ArrayList<>(jars.size() + 2);
    entries.add(workspace);
    entries.addAll(jars);
    entries.add(notebook);
    return List.copyOf(entries);
  }
}
