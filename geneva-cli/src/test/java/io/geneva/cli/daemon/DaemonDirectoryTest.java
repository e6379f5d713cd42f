package io.geneva.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonDirectoryTest {
  @TempDir Path home;

  @Test
  void isUnderGenevaHome() {
    assertThat(DaemonDirectory.of(Map.of("GENEVA_HOME", home.toString()))).isEqualTo(home.resolve("daemon"));
    assertThat(DaemonDirectory.of(Map.of())).isEqualTo(Path.of(System.getProperty("user.home"), ".geneva", "daemon"));
  }

  @Test
  void createdForTheOwnerOnly() throws IOException {
    Path dir = DaemonDirectory.prepare(home.resolve("daemon"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
  }

  @Test
  void oneOthersMayRead_isTightened() throws IOException {
    Path dir = Files.createDirectory(home.resolve("daemon"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    DaemonDirectory.prepare(dir);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
  }

  @Test
  void oneOthersMayWrite_isRefusedWithTheFix() throws IOException {
    Path dir = Files.createDirectory(home.resolve("daemon"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThatThrownBy(() -> DaemonDirectory.prepare(dir))
        .isInstanceOf(IOException.class)
        .hasMessage(dir + " may be written by other users; run chmod 700 on it");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwxrwxrwx");
  }

  @Test
  void aSymbolicLink_isRefused() throws IOException {
    Path real = Files.createDirectory(home.resolve("real"));
    Path link = Files.createSymbolicLink(home.resolve("daemon"), real);
    assertThatThrownBy(() -> DaemonDirectory.prepare(link)).hasMessageContaining("symbolic link");
  }
}
