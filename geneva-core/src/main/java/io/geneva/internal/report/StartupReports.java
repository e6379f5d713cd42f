package io.geneva.internal.report;

import io.geneva.PackageReport;
import io.geneva.StartupReport;
import io.geneva.internal.pack.PackStage;
import io.geneva.internal.pack.PackedPackage;
import io.geneva.internal.publish.Publisher;
import io.geneva.spi.ObjectKey;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** Assembles a start's {@link StartupReport} from what each stage produced. */
public final class StartupReports {
  private StartupReports() {}

  /**
   * The report of a start.
   *
   * @param files regular files found on the classpath
   * @param bytesScanned their total size
   * @param packing what the fingerprint and pack stages produced
   * @param provided which packages the worker image provides
   * @param manifestKey the manifest's key
   * @param manifestUri where the manifest is stored
   * @param published what the publish stage did
   * @param phases wall milliseconds per phase
   * @param warnings problems that did not stop the start
   * @param elapsedNanos in-process time of the whole start
   */
  public static StartupReport assemble(
      long files,
      long bytesScanned,
      PackStage.Result packing,
      Predicate<PackedPackage> provided,
      ObjectKey manifestKey,
      URI manifestUri,
      Publisher.Result published,
      Map<String, Long> phases,
      List<String> warnings,
      long elapsedNanos) {
    List<PackedPackage> packages = packing.packages();
    List<PackageReport> packageReports = new ArrayList<>(packages.size());
    Set<ObjectKey> reused = new HashSet<>();
    for (PackedPackage p : packages) {
      if (provided.test(p)) {
        packageReports.add(new PackageReport(p.source(), p.kind(), p.sha256(), p.size(), false, PackageReport.PROVIDED));
        continue;
      }
      boolean uploaded = published.uploaded().contains(p.key());
      if (!uploaded) {
        reused.add(p.key());
      }
      String reason = uploaded && p.reason().equals("unchanged") ? "unchanged; storage did not have it" : p.reason();
      packageReports.add(new PackageReport(p.source(), p.kind(), p.sha256(), p.size(), uploaded, reason));
    }
    return StartupReport.builder()
        .manifestDigest(manifestKey.digest().orElseThrow())
        .manifestUri(manifestUri.toString())
        .elapsedMillis(elapsedNanos / 1_000_000)
        .phases(phases)
        .files(files)
        .filesHashed(packing.filesHashed())
        .bytesScanned(bytesScanned)
        .bytesHashed(packing.bytesHashed())
        .bytesPacked(packing.bytesPacked())
        .bytesUploaded(published.bytesUploaded())
        .packagesUploaded(published.uploaded().size())
        .packagesReused(reused.size())
        .packages(packageReports)
        .advice(packing.advice())
        .warnings(warnings)
        .build();
  }
}
