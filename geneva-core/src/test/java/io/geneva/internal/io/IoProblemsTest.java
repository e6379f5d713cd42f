package io.geneva.internal.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IoProblemsTest {
  @TempDir Path dir;

  @Test
  void aFileUnderARegularFile_isDescribedInWords_withoutTheExceptionClass() throws IOException {
    Path file = Files.writeString(dir.resolve("plain"), "x");
    FileSystemException e =
        catchThrowableOfType(FileSystemException.class, () -> Files.createDirectory(file.resolve("sub")));

    assertThat(IoProblems.describe(e))
        .isEqualTo(file.resolve("sub") + ": not a directory")
        .doesNotContain("java.nio", "Exception");
  }

  @Test
  void aMissingFile_doesNotExist() {
    Path missing = dir.resolve("missing");
    IOException e = catchThrowableOfType(IOException.class, () -> Files.readAllBytes(missing));

    assertThat(IoProblems.describe(e)).isEqualTo(missing + " does not exist");
  }

  @Test
  void aRefusedFile_isPermissionDenied() {
    assertThat(IoProblems.describe(new AccessDeniedException("/srv/x"))).isEqualTo("permission denied on /srv/x");
  }

  @Test
  void anotherIoException_keepsItsMessage_orSaysIoError() {
    assertThat(IoProblems.describe(new IOException("connection reset"))).isEqualTo("connection reset");
    assertThat(IoProblems.describe(new IOException())).isEqualTo("I/O error");
  }
}
