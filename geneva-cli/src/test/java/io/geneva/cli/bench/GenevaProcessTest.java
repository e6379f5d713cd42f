package io.geneva.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenevaProcessTest {
  @TempDir Path dir;

  @Test
  void executableByPath_isTheCommandBeforeTheArguments() throws IOException {
    Path launcher = executable(dir.resolve("geneva"));

    GenevaProcess p = GenevaProcess.parse(launcher + " --verbose", Map.of());

    assertThat(p.command(List.of("package", "--json")))
        .containsExactly(launcher.toString(), "--verbose", "package", "--json");
  }

  @Test
  void relativeProgramPath_isMadeAbsolute_sinceScenariosRunInOtherDirectories() throws IOException {
    Path launcher = executable(dir.resolve("geneva"));
    Path relative = Path.of("").toAbsolutePath().relativize(launcher);

    GenevaProcess p = GenevaProcess.parse(relative + " --verbose", Map.of());

    assertThat(p.words()).containsExactly(launcher.toAbsolutePath().toString(), "--verbose");
    assertThat(p.description()).isEqualTo(relative + " --verbose");
  }

  @Test
  void programOnPath_isFound() throws IOException {
    executable(dir.resolve("my-geneva"));

    GenevaProcess p = GenevaProcess.parse("my-geneva", Map.of("PATH", "/nonexistent:" + dir));

    assertThat(p.words()).containsExactly("my-geneva");
  }

  @Test
  void missingProgram_failsNamingTheOptionAndTheFix() {
    assertThatThrownBy(() -> GenevaProcess.parse(dir.resolve("bin/geneva") + " x", Map.of()))
        .isInstanceOf(BenchException.class)
        .hasMessageContaining("--geneva-command")
        .hasMessageContaining("does not exist")
        .hasMessageContaining("build it first");
  }

  @Test
  void fileThatIsNotExecutable_fails() throws IOException {
    Path plain = Files.writeString(dir.resolve("geneva.jar"), "not a program");

    assertThatThrownBy(() -> GenevaProcess.parse(plain.toString(), Map.of()))
        .isInstanceOf(BenchException.class)
        .hasMessageContaining("is not an executable file");
  }

  @Test
  void programNotOnPath_fails() {
    assertThatThrownBy(() -> GenevaProcess.parse("no-such-geneva-here", Map.of("PATH", dir.toString())))
        .isInstanceOf(BenchException.class)
        .hasMessageContaining("no-such-geneva-here is not on PATH");
  }

  @Test
  void defaultCommand_runsThisJvmsJava() {
    GenevaProcess p = GenevaProcess.fromThisJvm();

    assertThat(p.words().get(0)).isEqualTo(GenevaProcess.javaExecutable());
    assertThat(Path.of(p.words().get(0))).isExecutable();
  }

  private static Path executable(Path file) throws IOException {
    Files.writeString(file, "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }
}
