package io.geneva.cli.bench;

/**
 * The program of scenario F's baseline: a JVM that starts, loads one class from its class path and
 * exits. It depends on java.base only, so it runs from the same class directory the scenario ships.
 */
public final class NoopMain {
  private NoopMain() {}

  /** Does nothing. */
  public static void main(String[] args) {
    // Starting the JVM is the whole cost being measured.
  }
}
