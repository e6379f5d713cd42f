package io.geneva.internal.session;

import io.geneva.ConfigurationException;
import io.geneva.internal.io.IoProblems;
import io.geneva.internal.io.PrivateFiles;
import io.geneva.internal.io.StagingDirectories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The Geneva home's scratch space: {@code <home>/tmp}, where a session builds archives when its
 * storage has no staging directory of its own, and what crashed sessions left there.
 */
final class GenevaHome {
  private GenevaHome() {}

  /**
   * Checks that the home can be written and reclaims what killed sessions left: a directory whose
   * owner's lock is free goes at once; one without a lock after {@link StagingDirectories#ORPHAN_AGE}.
   * Leftovers are aged by the system clock because the file system stamps their times with it.
   */
  static Path prepare(Path home) {
    try {
      Path tmp = PrivateFiles.createDirectories(home.resolve("tmp"));
      Path probe = Files.createTempFile(tmp, "probe", ".tmp");
      Files.delete(probe);
      StagingDirectories.reclaim(tmp, Clock.systemUTC());
      return home;
    } catch (IOException e) {
      throw new ConfigurationException(
          "Geneva home " + home + " cannot be written (" + IoProblems.describe(e)
              + "); set GENEVA_HOME or --home to a writable directory",
          e);
    }
  }

  /** A new scratch directory of this session's own, locked while the session holds it. */
  static StagingDirectories.Owned newTmpDirectory(Path home) throws IOException {
    return StagingDirectories.create(home.resolve("tmp"));
  }
}
