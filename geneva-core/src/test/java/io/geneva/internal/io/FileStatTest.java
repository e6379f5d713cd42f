package io.geneva.internal.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stat that every fast key is made of: direct field reads agree with the public unix: view. */
class FileStatTest {
  @TempDir Path dir;

  @Test
  void testsRunWithSunNioFsOpen_soTheDirectReadIsWhatTheyExercise() {
    // geneva-core's surefire argLine opens sun.nio.fs, as the geneva command's jar does.
    assertThat(FileStat.fastPathAvailable()).isTrue();
  }

  @Test
  void directRead_equalsTheUnixView_forAFileADirectoryAndALink() throws IOException {
    Path file = Files.writeString(dir.resolve("a.txt"), "hello");
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2024-01-01T00:00:00.123456789Z")));
    Path sub = Files.createDirectory(dir.resolve("sub"));
    Path link = Files.createSymbolicLink(dir.resolve("link"), file);

    for (Path p : new Path[] {file, sub, link}) {
      FileStat direct = FileStat.of(p);
      FileStat view = FileStat.ofUnixView(p);
      assertThat(direct).as("%s", p).isEqualTo(view);
    }
    assertThat(FileStat.of(link).identity()).isEqualTo(FileStat.of(file).identity());
    assertThat(FileStat.of(file).ctimeNanos()).isPositive();
    assertThat(FileStat.of(file).mtimeNanos()).isEqualTo(Instant.parse("2024-01-01T00:00:00.123456789Z").getEpochSecond() * 1_000_000_000L + 123_456_789L);
  }

  @Test
  void aWriteMovesTheChangeTime_evenWhenTheModificationTimeIsPutBack() throws IOException {
    Path file = Files.writeString(dir.resolve("b.txt"), "one");
    FileTime mtime = FileTime.from(Instant.parse("2024-01-01T00:00:00Z"));
    Files.setLastModifiedTime(file, mtime);
    FileStat before = FileStat.of(file);

    Files.writeString(file, "two");
    Files.setLastModifiedTime(file, mtime);
    FileStat after = FileStat.of(file);

    assertThat(after.mtimeNanos()).isEqualTo(before.mtimeNanos());
    assertThat(after.size()).isEqualTo(before.size());
    assertThat(after.ctimeNanos()).isGreaterThanOrEqualTo(before.ctimeNanos());
    assertThat(after).isEqualTo(FileStat.ofUnixView(file));
  }
}
