package io.geneva.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CommandWordsTest {
  @Test
  void blanks_separateWords() {
    assertThat(CommandWords.split("  java  -jar\tgeneva.jar ", "--x")).containsExactly("java", "-jar", "geneva.jar");
  }

  @Test
  void quotesAndBackslashes_keepBlanksAndQuotes() {
    assertThat(CommandWords.split("'/opt/my geneva/bin/geneva' \"a b\" c\\ d \"say \\\"hi\\\"\" 'x\"y'", "--x"))
        .containsExactly("/opt/my geneva/bin/geneva", "a b", "c d", "say \"hi\"", "x\"y");
  }

  @Test
  void emptyQuotes_makeAnEmptyWord() {
    assertThat(CommandWords.split("run ''", "--x")).containsExactly("run", "");
  }

  @Test
  void unclosedQuote_failsNamingTheOption() {
    assertThatThrownBy(() -> CommandWords.split("geneva 'oops", "--geneva-command"))
        .isInstanceOf(BenchException.class)
        .hasMessageContaining("--geneva-command")
        .hasMessageContaining("unclosed single quote");
  }

  @Test
  void blankText_failsSayingWhatToPass() {
    assertThatThrownBy(() -> CommandWords.split("   ", "--geneva-command"))
        .isInstanceOf(BenchException.class)
        .hasMessageContaining("--geneva-command is empty");
  }
}
