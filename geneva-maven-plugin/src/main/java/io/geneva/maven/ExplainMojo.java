package io.geneva.maven;

import io.geneva.PackageReport;
import io.geneva.StartupReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * {@code mvn geneva:explain}: says what the project's latest {@code geneva:package} or {@code
 * geneva:run} changed, what it sent and why, compared with the one before (as {@code geneva explain}
 * does), from the reports those goals keep under {@code target/geneva/}.
 */
@Mojo(name = "explain", threadSafe = true)
public class ExplainMojo extends AbstractGenevaMojo {
  @Override
  void run() throws MojoExecutionException, MojoFailureException {
    Path dir = buildDirectory.toPath().resolve(REPORT_DIRECTORY);
    Path latest = dir.resolve(StartupReports.LATEST);
    if (!Files.isRegularFile(latest)) {
      throw new MojoFailureException("no startup report of this project at " + latest
          + "; run 'mvn compile geneva:package' (or geneva:run) first, then geneva:explain");
    }
    Path previous = dir.resolve(StartupReports.PREVIOUS);
    StartupReport latestReport = read(latest);
    StartupReport previousReport = Files.isRegularFile(previous) ? read(previous) : null;
    explain(latestReport, previousReport).forEach(getLog()::info);
  }

  @Override
  String goal() {
    return "explain";
  }

  private static StartupReport read(Path file) throws MojoFailureException {
    try {
      return StartupReport.fromJson(Files.readString(file));
    } catch (IOException | IllegalArgumentException e) {
      throw new MojoFailureException("cannot read the startup report " + file + ": " + e.getMessage()
          + "; delete it and run geneva:package again", e);
    }
  }

  /** The lines {@code geneva explain} prints, for a report and the one before it (or null). */
  static List<String> explain(StartupReport r, StartupReport previous) {
    List<String> out = new ArrayList<>();
    out.add("latest package: manifest " + r.manifestDigest());
    out.add("  " + r.manifestUri());
    if (previous == null) {
      out.add("  no earlier package of this project to compare with");
    } else if (previous.manifestDigest().equals(r.manifestDigest())) {
      out.add("  same manifest as the previous package");
    } else {
      out.add("  differs from the previous package (manifest " + previous.manifestDigest() + ")");
    }
    int changed = 0;
    for (PackageReport p : r.packages()) {
      if (!p.reason().equals("unchanged")) {
        changed++;
        out.add(String.format(Locale.ROOT, "  %s %s (%s): %s",
            p.uploaded() ? "sent" : "kept", p.source(), StartupReport.bytes(p.size()), p.reason()));
      }
    }
    if (changed == 0) {
      out.add(String.format(Locale.ROOT, "  all %d packages unchanged", r.packages().size()));
    }
    out.add(String.format(Locale.ROOT, "  uploaded %s in %d package%s; %d already stored",
        StartupReport.bytes(r.bytesUploaded()), r.packagesUploaded(), r.packagesUploaded() == 1 ? "" : "s",
        r.packagesReused()));
    r.advice().forEach(a -> out.add("  advice: " + a));
    r.warnings().forEach(w -> out.add("  warning: " + w));
    return out;
  }
}
