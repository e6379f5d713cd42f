package io.geneva.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.geneva.ConfigurationException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenevaCommandTest {
  @TempDir Path dir;

  @Test
  void version_printsTheVersionAndExits0() {
    Cli.Result r = Cli.run("--version");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("geneva ").contains("0.1.0");
  }

  @Test
  void version_onEverySubcommand_printsTheVersionAndExits0() {
    for (String[] args : new String[][] {
        {"package", "--version"}, {"run", "-V"}, {"gc", "--version"}, {"cluster", "up", "--version"}, {"bench", "-V"}}) {
      Cli.Result r = Cli.run(args);

      assertThat(r.exit()).as(String.join(" ", args)).isZero();
      assertThat(r.out()).as(String.join(" ", args)).startsWith("geneva ").contains("0.1.0");
    }
  }

  @Test
  void aMistypedCommand_isAUsageErrorSuggestingTheCommandMeant() {
    Cli.Result r = Cli.run("pakage", "--storage", "/tmp/x");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.errLines().get(0))
        .startsWith("geneva: unknown command 'pakage' (did you mean 'package'")
        .endsWith("?); see 'geneva --help'");
  }

  @Test
  void aMistypedOption_isAUsageErrorSuggestingTheOptionMeant() {
    Cli.Result r = Cli.run("run", "--job", "com.acme.Task", "--partitions", "2", "--worker", "2");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.errLines().get(0))
        .startsWith("geneva: unknown option '--worker' for 'geneva run' (did you mean '--workers'")
        .endsWith("; see 'geneva run --help'");
  }

  @Test
  void anUnknownOptionWithNothingClose_isAUsageErrorNamingIt() {
    Cli.Result r = Cli.run("package", "--zzzzzzzz");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines()).containsExactly(
        "geneva: unknown option '--zzzzzzzz' for 'geneva package'; see 'geneva package --help'");
  }

  @Test
  void help_listsTheSubcommandsAndExits0() {
    Cli.Result r = Cli.run("--help");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("package", "inspect", "explain", "gc", "bench", "--verbose");
  }

  @Test
  void subcommandHelp_showsTheInheritedVerboseOption() {
    Cli.Result r = Cli.run("gc", "--help");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("--keep", "--older-than", "--grace", "--verbose");
  }

  @Test
  void verbose_afterTheSubcommand_addsTheStackTraceToAFailure() throws IOException {
    Workspace ws = new Workspace(dir);
    String previous = System.getProperty("org.slf4j.simpleLogger.defaultLogLevel");
    try {
      Cli.Result r = Cli.run("package", "--storage", "foo://x", "--home", ws.home.toString(),
          "--classpath", ws.classpath(), "--verbose");

      assertThat(r.exit()).isEqualTo(1);
      assertThat(r.errLines().get(0)).startsWith("geneva: no storage provider for scheme \"foo\"");
      assertThat(r.err()).contains("at io.geneva");
    } finally {
      if (previous == null) {
        System.clearProperty("org.slf4j.simpleLogger.defaultLogLevel");
      } else {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", previous);
      }
    }
  }

  @Test
  void unexpectedException_printsOneInternalErrorLineAndExits1() {
    StringWriter err = new StringWriter();

    int exit = GenevaCommand.failure(new IllegalStateException("boom"), new PrintWriter(err, true), false);

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).isEqualTo(
        "geneva: internal error: java.lang.IllegalStateException: boom; run with --verbose for the stack trace"
            + System.lineSeparator());
  }

  @Test
  void genevaException_withAMultiLineMessage_printsOneLine() {
    StringWriter err = new StringWriter();

    GenevaCommand.failure(new ConfigurationException("first\n  second"), new PrintWriter(err, true), false);

    assertThat(err.toString()).isEqualTo("geneva: first second" + System.lineSeparator());
  }
}
