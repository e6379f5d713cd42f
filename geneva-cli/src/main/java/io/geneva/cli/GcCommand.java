package io.geneva.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.geneva.StartupReport;
import io.geneva.StorageException;
import io.geneva.internal.gc.GarbageCollector;
import io.geneva.internal.publish.KnownObjects;
import io.geneva.internal.storage.StorageSelector;
import io.geneva.internal.util.Durations;
import io.geneva.spi.Storage;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code geneva gc}: deletes manifests beyond a retention and the packages no kept manifest
 * references, sparing packages younger than a grace period (a session may be uploading them), then
 * forgets the deleted objects in the Geneva home's record of what storage holds.
 */
@Command(
    name = "gc",
    mixinStandardHelpOptions = true,
    description = "Deletes old manifests and the packages that no kept manifest references.")
final class GcCommand implements Callable<Integer> {
  @ParentCommand private GenevaCommand geneva;
  @Spec private CommandSpec spec;
  @Mixin private HomeOption home;

  @Option(names = "--storage", required = true, paramLabel = "URI",
      description = "Storage root to clean: s3://bucket/prefix, file:///path or a local path.")
  private String storage;

  @ArgGroup(exclusive = true, multiplicity = "1")
  private Retention retention;

  /** Which manifests to keep: exactly one of the two. */
  static final class Retention {
    @Option(names = "--keep", paramLabel = "N", description = "Keep the N most recently used manifests (every package or run of a manifest uses it).")
    Integer keep;

    @Option(names = "--older-than", paramLabel = "DURATION", converter = DurationConverter.class,
        description = "Delete manifests not used for this long: 30s, 10m, 12h, 7d or ISO-8601 (PT12H).")
    Duration olderThan;
  }

  @Option(names = "--grace", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "1h",
      description = "Never delete packages or manifests younger than this: a session may be publishing"
          + " or using them (default: ${DEFAULT-VALUE}).")
  private Duration grace;

  @Option(names = "--dry-run", description = "Report what would be deleted without deleting it.")
  private boolean dryRun;

  @Option(names = "--json", description = "Print the result as JSON.")
  private boolean json;

  @Override
  public Integer call() throws IOException {
    if (retention.keep != null && retention.keep < 1) {
      throw new ParameterException(spec.commandLine(), "--keep must be at least 1, not " + retention.keep);
    }
    if (grace.isNegative()) {
      throw new ParameterException(spec.commandLine(), "--grace must not be negative, not " + grace);
    }
    URI root = StorageRootOption.parse(storage);
    requireExistingDirectory(root);
    GarbageCollector.Result result;
    try (Storage s = StorageSelector.open(root)) {
      result = new GarbageCollector(s, grace, geneva.clock())
          .collect(Optional.ofNullable(retention.keep), Optional.ofNullable(retention.olderThan), dryRun);
      if (!dryRun) {
        forget(s, result);
      }
    }
    if (json) {
      printJson(result);
    } else {
      print(result, geneva.out());
    }
    return 0;
  }

  /**
   * A local store that does not exist is a mistyped path: opening it would create an empty store and
   * report that nothing needed collecting.
   */
  private void requireExistingDirectory(URI root) {
    if (!"file".equals(root.getScheme())) {
      return;
    }
    Path directory = Path.of(root);
    if (!Files.isDirectory(directory)) {
      throw new ParameterException(
          spec.commandLine(),
          "--storage " + storage + ": " + (Files.exists(directory) ? "is not a directory" : "no such directory")
              + "; gc cleans an existing store and never creates one, so check the path");
    }
  }

  /** Deleted objects must leave the record too, or a session would trust that storage still has them. */
  private void forget(Storage s, GarbageCollector.Result result) {
    Path known = home.resolve().resolve("known");
    try {
      KnownObjects record = KnownObjects.load(known, s.root(), problem -> {});
      record.forget(result.deleted());
      record.save();
    } catch (IOException e) {
      throw new StorageException(
          "gc deleted " + result.deleted().size() + " objects but could not update the record of stored objects in "
              + known + " (" + e + "); delete that directory so the next session checks storage", e);
    }
  }

  private void print(GarbageCollector.Result r, PrintWriter out) {
    for (GarbageCollector.Kept k : r.kept()) {
      out.printf(Locale.ROOT, "kept %s (last used %s): %s%n", k.key(), k.lastUsed().truncatedTo(ChronoUnit.SECONDS), k.reason());
    }
    out.printf(Locale.ROOT, "kept %d manifest%s%n", r.keptManifests().size(), r.keptManifests().size() == 1 ? "" : "s");
    if (dryRun) {
      r.deleted().forEach(k -> out.printf(Locale.ROOT, "would delete %s%n", k));
    }
    out.printf(Locale.ROOT, "%s %d object%s (%s)%n", dryRun ? "would delete" : "deleted",
        r.deleted().size(), r.deleted().size() == 1 ? "" : "s", StartupReport.bytes(r.bytesFreed()));
    if (r.sparedYoung() > 0) {
      out.printf(Locale.ROOT, "spared %d unreferenced package%s younger than %s (--grace)%n",
          r.sparedYoung(), r.sparedYoung() == 1 ? "" : "s", Durations.typed(grace));
    }
  }

  private void printJson(GarbageCollector.Result r) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode node = mapper.createObjectNode();
    node.put("dryRun", dryRun);
    ArrayNode kept = node.putArray("keptManifests");
    r.keptManifests().forEach(k -> kept.add(k.path()));
    ArrayNode why = node.putArray("kept");
    for (GarbageCollector.Kept k : r.kept()) {
      why.addObject().put("manifest", k.key().path()).put("lastUsed", k.lastUsed().toString()).put("reason", k.reason());
    }
    ArrayNode deleted = node.putArray("deleted");
    r.deleted().forEach(k -> deleted.add(k.path()));
    node.put("bytesFreed", r.bytesFreed());
    node.put("sparedYoung", r.sparedYoung());
    geneva.out().println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(node));
  }
}
