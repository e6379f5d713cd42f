package io.geneva.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.geneva.GenevaException;
import io.geneva.PackageReport;
import io.geneva.StartupReport;
import io.geneva.internal.classpath.ClasspathEntry;
import io.geneva.internal.classpath.ClasspathResolver;
import io.geneva.internal.report.ReportHistory;
import io.geneva.internal.storage.FileStorage;
import io.geneva.internal.storage.StorageSelector;
import io.geneva.spi.Storage;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code geneva explain}: finds the last packages of a classpath into a storage root in the Geneva
 * home's history and says what the latest one changed, what it sent and why.
 */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    description = {
      "Explains the latest package of a classpath: what changed, what was sent and why.",
      "Use the same --storage, --home and --classpath as the package to explain."
    })
final class ExplainCommand implements Callable<Integer> {
  @ParentCommand private GenevaCommand geneva;
  @Spec private CommandSpec spec;
  @Mixin private StorageRootOption storage;
  @Mixin private HomeOption home;
  @Mixin private ClasspathOptions classpath;

  @Option(names = "--json", description = "Print {\"latest\": report, \"previous\": report or null} as JSON.")
  private boolean json;

  @Override
  public Integer call() throws IOException {
    String classpathText = classpath.text(spec, geneva);
    Path homeDir = home.resolve();
    List<Path> entries = new ArrayList<>();
    for (ClasspathEntry e :
        new ClasspathResolver(classpath.projectDirectory(spec), classpath.origin(), classpath.skipMissing, w -> {})
            .resolve(ClasspathOptions.elements(classpathText))) {
      entries.add(e.path());
    }
    URI root = storageRoot(storage.root(homeDir));
    List<ReportHistory.Entry> history =
        new ReportHistory(homeDir).latest(ReportHistory.classpathId(root, entries), 2);
    if (history.isEmpty()) {
      throw new GenevaException(
          "no earlier package of this classpath into " + root + " under Geneva home " + homeDir
              + "; run 'geneva package' first");
    }
    ReportHistory.Entry latest = history.get(0);
    ReportHistory.Entry previous = history.size() > 1 ? history.get(1) : null;
    if (json) {
      printJson(latest, previous);
    } else {
      print(latest, previous, geneva.out());
    }
    return 0;
  }

  /**
   * The root exactly as the session recorded it: what the storage itself reports. A file storage
   * reports its directory's URI, computed here without opening it, since opening creates the
   * directory and writes a probe file into it.
   */
  private static URI storageRoot(URI uri) {
    if ("file".equals(uri.getScheme())) {
      return FileStorage.rootUri(Path.of(uri));
    }
    try (Storage s = StorageSelector.open(uri)) {
      return s.root();
    }
  }

  private void printJson(ReportHistory.Entry latest, ReportHistory.Entry previous) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode both = mapper.createObjectNode();
    both.set("latest", mapper.readTree(latest.report().toJson()));
    both.set("previous", previous == null ? null : mapper.readTree(previous.report().toJson()));
    geneva.out().println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(both));
  }

  private static void print(ReportHistory.Entry latest, ReportHistory.Entry previous, PrintWriter out) {
    StartupReport r = latest.report();
    out.printf(Locale.ROOT, "latest package %s: manifest %s%n", latest.time(), r.manifestDigest());
    out.printf(Locale.ROOT, "  %s%n", r.manifestUri());
    if (previous == null) {
      out.println("  no earlier package of this classpath to compare with");
    } else if (previous.report().manifestDigest().equals(r.manifestDigest())) {
      out.printf(Locale.ROOT, "  same manifest as the previous package (%s)%n", previous.time());
    } else {
      out.printf(Locale.ROOT, "  differs from the previous package (%s, manifest %s)%n",
          previous.time(), previous.report().manifestDigest());
    }
    int changed = 0;
    for (PackageReport p : r.packages()) {
      if (!p.reason().equals("unchanged")) {
        changed++;
        out.printf(Locale.ROOT, "  %s %s (%s): %s%n",
            p.uploaded() ? "sent" : "kept", p.source(), StartupReport.bytes(p.size()), p.reason());
      }
    }
    if (changed == 0) {
      out.printf(Locale.ROOT, "  all %d packages unchanged%n", r.packages().size());
    }
    out.printf(Locale.ROOT, "  uploaded %s in %d package%s; %d already stored%n",
        StartupReport.bytes(r.bytesUploaded()), r.packagesUploaded(), r.packagesUploaded() == 1 ? "" : "s",
        r.packagesReused());
    r.advice().forEach(a -> out.printf(Locale.ROOT, "  advice: %s%n", a));
    r.warnings().forEach(w -> out.printf(Locale.ROOT, "  warning: %s%n", w));
  }
}
