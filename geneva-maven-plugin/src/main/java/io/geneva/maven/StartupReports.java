package io.geneva.maven;

/** The file names of the startup reports the goals keep under {@code target/geneva/}. */
final class StartupReports {
  /** The latest goal's report. */
  static final String LATEST = "startup-report.json";
  /** The report before it. */
  static final String PREVIOUS = "startup-report.previous.json";

  private StartupReports() {}
}
