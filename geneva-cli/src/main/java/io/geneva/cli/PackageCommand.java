package io.geneva.cli;

import io.geneva.Geneva;
import io.geneva.GenevaSession;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code geneva package}: scans, fingerprints, packs and publishes a classpath into storage, as a
 * session does when it opens, and prints the startup report.
 */
@Command(
    name = "package",
    mixinStandardHelpOptions = true,
    description = {
      "Packages a classpath into storage and prints what it cost.",
      "Without --storage, packages into the embedded default storage under the Geneva home."
    })
final class PackageCommand implements Callable<Integer> {
  @ParentCommand private GenevaCommand geneva;
  @Spec private CommandSpec spec;
  @Mixin private StorageRootOption storage;
  @Mixin private HomeOption home;
  @Mixin private ClasspathOptions classpath;

  @Option(
      names = "--exclude",
      paramLabel = "PATTERN",
      description = "A gitignore-style pattern of files not to ship; repeatable.")
  private List<String> excludes = new ArrayList<>();

  @Option(names = "--no-default-excludes", description = "Ship .git, IDE and build-cache directories too.")
  private boolean noDefaultExcludes;

  @Option(names = "--verify", description = "Read back every stored package and check its digest.")
  private boolean verify;

  @Option(names = "--json", description = "Print the startup report as JSON.")
  private boolean json;

  @Override
  public Integer call() {
    String classpathText = classpath.text(spec, geneva);
    GenevaSession.Builder builder =
        storage.text().map(Geneva::connect).orElseGet(Geneva::connect)
            .home(home.resolve())
            .classpath(classpathText)
            .excludes(excludes)
            .defaultExcludes(!noDefaultExcludes)
            .skipMissingEntries(classpath.skipMissing)
            .dependenciesInImage(classpath.dependenciesInImage)
            .projectDirectory(classpath.projectDirectory(spec))
            .verifyStorage(verify);
    if (geneva.terminal()) {
      builder.progressListener(new ConsoleProgress(geneva.err()));
    }
    try (GenevaSession session = builder.open()) {
      if (json) {
        geneva.out().println(session.startupReport().toJson());
      } else {
        geneva.out().print(session.startupReport().summary());
        geneva.out().flush();
      }
    }
    return 0;
  }
}
