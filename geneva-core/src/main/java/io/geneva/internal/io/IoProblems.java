package io.geneva.internal.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * Says in words what an I/O failure was, for messages that people read: {@code permission denied on
 * /x}, {@code /x does not exist}, {@code /x: read-only file system}, instead of a class name such as
 * {@code java.nio.file.FileSystemException: /x: Read-only file system}. Stateless and thread-safe.
 */
public final class IoProblems {
  private IoProblems() {}

  /** What went wrong, in words, naming the file when the exception knows it. */
  public static String describe(IOException e) {
    if (e instanceof FileSystemException f) {
      String file = f.getFile() == null ? "a file" : f.getFile();
      String other = f.getOtherFile() == null ? "" : " (and " + f.getOtherFile() + ")";
      if (e instanceof NoSuchFileException) {
        return file + other + " does not exist";
      }
      if (e instanceof AccessDeniedException) {
        return "permission denied on " + file + other;
      }
      if (e instanceof FileAlreadyExistsException) {
        return file + " already exists" + other;
      }
      if (e instanceof NotDirectoryException) {
        return file + " is not a directory";
      }
      if (e instanceof DirectoryNotEmptyException) {
        return "directory " + file + " is not empty";
      }
      if (e instanceof FileSystemLoopException) {
        return file + " is part of a symbolic-link loop";
      }
      String reason = f.getReason();
      return file + other + ": " + (reason == null ? "file system error" : lowerFirst(reason));
    }
    String message = e.getMessage();
    return message == null || message.isBlank() ? "I/O error" : message;
  }

  private static String lowerFirst(String s) {
    if (s.length() > 1 && Character.isUpperCase(s.charAt(0)) && !Character.isUpperCase(s.charAt(1))) {
      return s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
    }
    return s;
  }
}
