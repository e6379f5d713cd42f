package io.geneva.examples;

import io.geneva.Geneva;
import io.geneva.GenevaSession;
import io.geneva.StartupReport;

/**
 * The README's quick start: ships this program's own classpath with the embedded default (storage
 * under the Geneva home) and prints what that cost. Run it twice: the second start reads no file
 * content and uploads nothing.
 */
public final class Quickstart {
  private Quickstart() {}

  /** Opens a session on the embedded default and prints its startup report. */
  public static void main(String[] args) {
    try (GenevaSession session = Geneva.connect().open()) {
      StartupReport report = session.startupReport();
      System.out.print(report.summary());
      System.out.println("manifest " + session.manifestDigest() + " lists "
          + session.manifest().classpath().size() + " packages");
    }
  }
}
