package io.geneva.cli.bench;

/** The bench cannot run as asked (a missing corpus, an unusable work directory); the message says why and what to do. */
final class BenchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  BenchException(String message) {
    super(message);
  }
}
