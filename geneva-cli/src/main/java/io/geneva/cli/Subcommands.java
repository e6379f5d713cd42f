package io.geneva.cli;

import io.geneva.cli.bench.BenchCommand;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;

/**
 * Registers {@code geneva}'s subcommands with picocli, only as many as the arguments need: a fresh
 * process that runs {@code geneva package} loads and models the package command alone, not the
 * other seven with their options, converters and the types their fields name (Jackson, the
 * Kubernetes client). Picocli routes the arguments exactly as with every subcommand registered,
 * because the subcommand it would pick is the first argument at the root that is not an option, and
 * that is the one registered. Anything else ({@code --help}, no command, a mistyped command) gets
 * every subcommand, in this order, so help lists them all and a mistyped name gets suggestions.
 */
final class Subcommands {
  /** The subcommands in the order {@code geneva --help} lists them. */
  static final List<String> NAMES =
      List.of("package", "inspect", "image-deps", "explain", "gc", "run", "cluster", "bench");

  private Subcommands() {}

  /** Adds to {@code root} the subcommands that these arguments may run. */
  static void register(CommandLine root, String[] args) {
    Optional<String> named = invoked(args);
    if (named.isPresent()) {
      root.addSubcommand(named.get(), command(named.get()));
    } else if (!onlyVersion(args)) {
      for (String name : NAMES) {
        root.addSubcommand(name, command(name));
      }
    }
  }

  /**
   * The subcommand named by the first argument at the root that is not an option, if it names one.
   * Of the root's options only {@value PluginLauncher#OPTION} takes a value.
   */
  static Optional<String> invoked(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--")) {
        return Optional.empty();
      }
      if (a.equals(PluginLauncher.OPTION)) {
        i++;
      } else if (!a.startsWith("-")) {
        return NAMES.contains(a) ? Optional.of(a) : Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** {@code geneva --version} (with nothing but {@code --verbose} and plugin paths) needs no subcommand. */
  private static boolean onlyVersion(String[] args) {
    boolean version = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("-V") || a.equals("--version")) {
        version = true;
      } else if (a.equals(PluginLauncher.OPTION)) {
        i++;
      } else if (!a.equals(GenevaCommand.VERBOSE) && !a.equals(GenevaCommand.NO_DAEMON)
          && !a.startsWith(PluginLauncher.OPTION + "=")) {
        return false;
      }
    }
    return version;
  }

  /**
   * The command class of a name. A switch rather than a table of class literals, so that naming one
   * subcommand loads that class alone.
   */
  private static Class<?> command(String name) {
    return switch (name) {
      case "package" -> PackageCommand.class;
      case "inspect" -> InspectCommand.class;
      case "image-deps" -> ImageDepsCommand.class;
      case "explain" -> ExplainCommand.class;
      case "gc" -> GcCommand.class;
      case "run" -> RunCommand.class;
      case "cluster" -> ClusterCommand.class;
      case "bench" -> BenchCommand.class;
      default -> throw new IllegalArgumentException("no geneva subcommand " + name);
    };
  }
}
