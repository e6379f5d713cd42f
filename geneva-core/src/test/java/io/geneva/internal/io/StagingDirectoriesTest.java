package io.geneva.internal.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.geneva.testfixture.HoldStaging;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 item 13: staging left by a killed session is reclaimed by the next session, not after a
 * day; a live session's staging, in another process or this one, is never touched.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StagingDirectoriesTest {
  @TempDir Path dir;

  private static final Clock NOW = Clock.fixed(Instant.parse("2026-12-05T10:00:00Z"), ZoneOffset.UTC);

  /** A real child JVM holding staging directories under these parents; returns them once created. */
  static List<Path> holdInChild(List<Process> started, Path... parents) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), HoldStaging.class.getName()));
    for (Path p : parents) {
      command.add(p.toString());
    }
    Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    started.add(child);
    BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    List<Path> held = new ArrayList<>();
    for (int i = 0; i < parents.length; i++) {
      String line = out.readLine();
      assertThat(line).as("child JVM output").isNotNull();
      held.add(Path.of(line));
    }
    return held;
  }

  static void kill(Process child) throws InterruptedException {
    child.destroyForcibly();
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void stagingOfAKilledSession_isReclaimedAtOnce_whileALiveSessionsIsKept() throws Exception {
    Path staging = dir.resolve(".staging");
    List<Process> started = new ArrayList<>();
    try {
      Path killed = holdInChild(started, staging).get(0);
      Path alive = holdInChild(started, staging).get(0);
      kill(started.get(0));

      int reclaimed = StagingDirectories.reclaim(staging, NOW);

      assertThat(reclaimed).isEqualTo(1);
      assertThat(killed).doesNotExist();
      assertThat(alive.resolve("shard-1.jar")).exists();
    } finally {
      for (Process p : started) {
        kill(p);
      }
    }
  }

  @Test
  void stagingOwnedByThisProcess_isKept_andItsLockStaysHeldForOtherProcesses() throws Exception {
    Path staging = dir.resolve(".staging");
    try (StagingDirectories.Owned mine = StagingDirectories.create(staging)) {
      Files.writeString(mine.directory().resolve("x"), "x");

      assertThat(StagingDirectories.reclaim(staging, NOW)).isZero();
      // Testing the lock from this process must not have released it (POSIX locks go with any close).
      assertThat(StagingDirectories.reclaim(staging, NOW)).isZero();
      assertThat(mine.directory().resolve("x")).exists();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(mine.directory())))
          .isEqualTo("rwx------");
    }
  }

  @Test
  void closingAnOwnedDirectory_deletesIt() throws IOException {
    StagingDirectories.Owned owned = StagingDirectories.create(dir.resolve("tmp"));
    Files.writeString(owned.directory().resolve("x"), "x");

    owned.close();
    owned.close();

    assertThat(owned.directory()).doesNotExist();
  }

  @Test
  void entriesWithoutALock_areDeletedOnlyOnceADayOld() throws IOException {
    Path staging = Files.createDirectories(dir.resolve(".staging"));
    Path old = Files.writeString(staging.resolve("packages-abc.jar123.tmp"), "left by an older version");
    Path young = Files.writeString(staging.resolve("other.tmp"), "maybe in use");
    Files.setLastModifiedTime(old, FileTime.from(NOW.instant().minus(StagingDirectories.ORPHAN_AGE).minusSeconds(1)));
    Files.setLastModifiedTime(young, FileTime.from(NOW.instant().minusSeconds(60)));

    StagingDirectories.reclaim(staging, NOW);

    assertThat(old).doesNotExist();
    assertThat(young).exists();
  }
}
