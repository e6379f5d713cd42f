package io.geneva.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SubcommandsTest {
  @Test
  void aNamedSubcommand_isTheOnlyOneRegistered() {
    assertThat(registered("package", "--classpath", "x")).containsExactly("package");
    assertThat(registered("--verbose", "gc", "--keep", "1")).containsExactly("gc");
    assertThat(registered("--plugin-path", "a.jar", "cluster", "up")).containsExactly("cluster");
    assertThat(registered("--plugin-path=a.jar", "image-deps")).containsExactly("image-deps");
  }

  @Test
  void theValueOfPluginPath_isNotTakenForACommand() {
    assertThat(Subcommands.invoked(new String[] {"--plugin-path", "package", "gc"})).contains("gc");
  }

  @Test
  void helpNoCommandOrAMistypedOne_registerEverySubcommandInHelpOrder() {
    for (String[] args : new String[][] {{}, {"--help"}, {"pakage"}, {"--verbose"}, {"--", "package"}}) {
      assertThat(registered(args)).as(String.join(" ", args)).containsExactlyElementsOf(Subcommands.NAMES);
    }
  }

  @Test
  void versionAlone_registersNone() {
    assertThat(registered("--version")).isEmpty();
    assertThat(registered("-V", "--verbose")).isEmpty();
    assertThat(registered("--version", "--help")).containsExactlyElementsOf(Subcommands.NAMES);
  }

  @Test
  void help_listsEverySubcommandWithItsDescription() {
    Cli.Result r = Cli.run("--help");

    assertThat(r.out()).contains(
        "package     Packages a classpath into storage and prints what it cost.",
        "image-deps", "cluster", "bench");
  }

  private static java.util.Set<String> registered(String... args) {
    PrintWriter w = new PrintWriter(new StringWriter());
    CommandLine root = new CommandLine(new GenevaCommand(w, w, Map.of(), false, Clock.systemUTC()));
    Subcommands.register(root, args);
    return root.getSubcommands().keySet();
  }
}
