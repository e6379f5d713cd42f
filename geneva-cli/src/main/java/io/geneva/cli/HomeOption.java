package io.geneva.cli;

import io.geneva.GenevaSession;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --home} option: Geneva's home, which holds the fingerprint index, records and history. */
final class HomeOption {
  @Option(
      names = "--home",
      paramLabel = "DIR",
      description = "Geneva home (default: $GENEVA_HOME, or ~/.geneva).")
  Path home;

  /** The home, absolute and normalised as a session uses it. */
  Path resolve() {
    return (home != null ? home : GenevaSession.Builder.defaultHome()).toAbsolutePath().normalize();
  }
}
