package io.geneva.testfixture;

import io.geneva.internal.io.StagingDirectories;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A session that owns staging directories and then waits to be killed: creates one under each
 * directory named in its arguments, writes a file into it, prints its path, and blocks on stdin.
 */
public final class HoldStaging {
  private HoldStaging() {}

  public static void main(String[] args) throws Exception {
    for (String parent : args) {
      StagingDirectories.Owned owned = StagingDirectories.create(Path.of(parent));
      Files.write(owned.directory().resolve("shard-1.jar"), new byte[64 * 1024]);
      System.out.println(owned.directory());
    }
    System.out.flush();
    System.in.read();
  }
}
