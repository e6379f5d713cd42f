package io.geneva.cli;

import io.geneva.GenevaException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;
import picocli.CommandLine;

/**
 * The {@code geneva} command: package a classpath into storage, inspect a manifest, explain what the
 * last package re-sent and why, collect garbage in storage, run a job on local workers, and run the
 * benchmark.
 *
 * <p>Exit codes: 0 on success, 1 when the work fails (one line {@code geneva: <message>} on standard
 * error, with the stack trace only under {@code --verbose}), 2 for a usage error.
 *
 * <p>{@code --verbose} is declared here once and inherited by every subcommand. Subcommands in this
 * package reach the streams and the environment through their {@code @ParentCommand}; the same
 * streams are picocli's {@code getOut()} and {@code getErr()}.
 */
@Command(
    name = "geneva",
    mixinStandardHelpOptions = true,
    versionProvider = GenevaCommand.Version.class,
    description = "Ships a JVM classpath to a cluster's storage and explains what it cost.")
public final class GenevaCommand implements Runnable {
  static final String VERBOSE = "--verbose";
  static final String NO_DAEMON = "--no-daemon";

  private final PrintWriter out;
  private final PrintWriter err;
  private final Map<String, String> environment;
  private final boolean terminal;
  private final Clock clock;

  @Spec private CommandSpec spec;

  @Option(
      names = VERBOSE,
      scope = ScopeType.INHERIT,
      description = "Log at debug level and print stack traces of failures.")
  private boolean verbose;

  // Read by PluginLauncher before picocli runs; declared here so that it parses and shows in --help.
  @Option(
      names = PluginLauncher.OPTION,
      paramLabel = "PATHS",
      scope = ScopeType.INHERIT,
      description = "Plugin jars, or directories of jars, separated by '${sys:path.separator}', added to the ones"
          + " of $GENEVA_PLUGINS (default: the Geneva home's plugins directory). May be repeated.")
  private List<String> pluginPath = List.of();

  // bin/geneva's switch: read by the launcher and its daemon client; the command itself runs here anyway.
  @Option(
      names = NO_DAEMON,
      description = "Run in this process, not in the Geneva daemon (bin/geneva uses one by default; see"
          + " GENEVA_DAEMON).")
  private boolean noDaemon;

  GenevaCommand(PrintWriter out, PrintWriter err, Map<String, String> environment, boolean terminal, Clock clock) {
    this.out = out;
    this.err = err;
    this.environment = Map.copyOf(environment);
    this.terminal = terminal;
    this.clock = clock;
  }

  /**
   * Runs the command, with the plugin jars of {@code GENEVA_PLUGINS} (or the Geneva home's {@code
   * plugins} directory) and {@code --plugin-path} on its class path, and exits the JVM with its exit
   * code.
   */
  public static void main(String[] args) {
    System.exit(launch(System.out, System.err, System.console() != null, args));
  }

  /**
   * Runs the command as {@link #main} does, plugins included, with these streams and terminal flag,
   * and returns the exit code instead of exiting: the Geneva daemon runs its clients' commands so.
   */
  public static int launch(PrintStream out, PrintStream err, boolean terminal, String... args) {
    return PluginLauncher.launch(out, err, System.getenv(), terminal, args);
  }

  /**
   * Runs the command with these streams and terminal flag, reading the process environment, and
   * returns the exit code instead of exiting.
   */
  public static int execute(PrintStream out, PrintStream err, boolean terminal, String... args) {
    return execute(out, err, System.getenv(), terminal, args);
  }

  /**
   * Runs the command with these streams, reading the process environment, and returns the exit
   * code instead of exiting.
   */
  public static int execute(PrintStream out, PrintStream err, String... args) {
    return execute(out, err, System.getenv(), System.console() != null, args);
  }

  /** Runs the command with an explicit environment and terminal flag (tests use this). */
  static int execute(
      PrintStream out, PrintStream err, Map<String, String> environment, boolean terminal, String... args) {
    return execute(out, err, environment, terminal, Clock.systemUTC(), args);
  }

  /** Runs the command with an explicit environment, terminal flag and clock (tests use this). */
  static int execute(
      PrintStream out, PrintStream err, Map<String, String> environment, boolean terminal, Clock clock,
      String... args) {
    PrintWriter outWriter = new PrintWriter(out, true);
    PrintWriter errWriter = new PrintWriter(err, true);
    CommandLine commandLine =
        new CommandLine(new GenevaCommand(outWriter, errWriter, environment, terminal, clock));
    // Before the settings below: picocli gives them to the subcommands present when they are set.
    Subcommands.register(commandLine, args);
    commandLine
        .setOut(outWriter)
        .setErr(errWriter)
        .setExecutionStrategy(GenevaCommand::run)
        .setParameterExceptionHandler(GenevaCommand::usageError)
        .setExecutionExceptionHandler((e, cl, parsed) -> failure(e, errWriter, isVerbose(parsed)));
    versionOnEverySubcommand(commandLine);
    try {
      return commandLine.execute(args);
    } finally {
      outWriter.flush();
      errWriter.flush();
    }
  }

  /** Without a subcommand there is nothing to do: a usage error. */
  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "missing command: use one of " + String.join(", ", spec.subcommands().keySet()));
  }

  PrintWriter out() {
    return out;
  }

  PrintWriter err() {
    return err;
  }

  /** An environment variable, if set and not blank. */
  Optional<String> environment(String name) {
    return Optional.ofNullable(environment.get(name)).filter(v -> !v.isBlank());
  }

  /** The current time, for commands that compare it with storage's times (tests inject one). */
  Clock clock() {
    return clock;
  }

  /** Whether standard error is a terminal, so a progress bar may draw on it. */
  boolean terminal() {
    return terminal;
  }

  /** Sets up logging from the parsed options before any logger exists, then runs the command. */
  private static int run(ParseResult parsed) {
    if (isVerbose(parsed)) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
    }
    return new CommandLine.RunLast().execute(parsed);
  }

  static boolean isVerbose(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption(VERBOSE)) {
        return true;
      }
    }
    return false;
  }

  /** {@code geneva package --version} prints the version as {@code geneva --version} does. */
  private static void versionOnEverySubcommand(CommandLine commandLine) {
    for (CommandLine sub : commandLine.getSubcommands().values()) {
      sub.getCommandSpec().versionProvider(new Version());
      versionOnEverySubcommand(sub);
    }
  }

  private static int usageError(ParameterException e, String[] args) {
    PrintWriter err = e.getCommandLine().getErr();
    String message = e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()
        ? unmatched(u)
        // picocli starts some messages with "Error: ", which the "geneva: " prefix already says.
        : oneLine(e.getMessage()).replaceFirst("^Error: ", "").replaceFirst("[.]$", "");
    err.println("geneva: " + message + "; see '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'");
    return 2;
  }

  /**
   * An unknown command or option, with picocli's suggestions of what was meant: {@code unknown command
   * 'pakage' (did you mean 'package'?)}.
   */
  static String unmatched(UnmatchedArgumentException e) {
    String first = e.getUnmatched().get(0);
    boolean option = first.startsWith("-");
    CommandSpec where = e.getCommandLine().getCommandSpec();
    String what = option
        ? "unknown option '" + first + "' for '" + where.qualifiedName() + "'"
        : where.subcommands().isEmpty()
            ? "unexpected argument '" + first + "' for '" + where.qualifiedName() + "'"
            : "unknown command '" + first + "'";
    List<String> suggestions = e.getSuggestions().stream().map(String::strip).distinct().limit(3).toList();
    if (suggestions.isEmpty()) {
      return what;
    }
    return what + " (did you mean " + String.join(" or ", suggestions.stream().map(x -> "'" + x + "'").toList()) + "?)";
  }

  static int failure(Exception e, PrintWriter err, boolean verbose) {
    if (e instanceof GenevaException) {
      err.println("geneva: " + oneLine(e.getMessage()));
    } else {
      err.println(
          "geneva: internal error: " + oneLine(e.toString())
              + (verbose ? "" : "; run with --verbose for the stack trace"));
    }
    if (verbose) {
      e.printStackTrace(err);
    }
    return 1;
  }

  private static String oneLine(String message) {
    return message == null ? "(no message)" : message.strip().replaceAll("\\s*\\R\\s*", " ");
  }

  /** The version of the running jar, from its Maven descriptor, or of this source tree. */
  static final class Version implements CommandLine.IVersionProvider {
    private static final String DESCRIPTOR = "/META-INF/maven/io.geneva/geneva-cli/pom.properties";

    @Override
    public String[] getVersion() {
      return new String[] {"geneva " + version()};
    }

    static String version() {
      try (InputStream in = GenevaCommand.class.getResourceAsStream(DESCRIPTOR)) {
        if (in != null) {
          Properties p = new Properties();
          p.load(in);
          return p.getProperty("version", "0.1.0-SNAPSHOT");
        }
      } catch (IOException e) {
        // Fall through to the source tree's version.
      }
      return "0.1.0-SNAPSHOT";
    }
  }
}
