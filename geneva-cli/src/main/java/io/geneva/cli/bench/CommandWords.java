package io.geneva.cli.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line the way a POSIX shell splits words, without expanding anything: blanks
 * separate words, single quotes keep everything literally, double quotes keep blanks (a backslash
 * escapes {@code "} and {@code \} inside them), and a backslash outside quotes escapes the next
 * character.
 */
final class CommandWords {
  private CommandWords() {}

  /**
   * The words of {@code text}.
   *
   * @param option the option the text came from, named in errors
   * @throws BenchException if the text holds no word or a quote is not closed
   */
  static List<String> split(String text, String option) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote == '\'') {
        if (c == '\'') {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (quote == '"') {
        if (c == '"') {
          quote = 0;
        } else if (c == '\\' && i + 1 < text.length() && (text.charAt(i + 1) == '"' || text.charAt(i + 1) == '\\')) {
          word.append(text.charAt(++i));
        } else {
          word.append(c);
        }
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        inWord = true;
        if (c == '\'' || c == '"') {
          quote = c;
        } else if (c == '\\' && i + 1 < text.length()) {
          word.append(text.charAt(++i));
        } else {
          word.append(c);
        }
      }
    }
    if (quote != 0) {
      throw new BenchException(
          option + " \"" + text + "\" has an unclosed " + (quote == '\'' ? "single" : "double") + " quote; close it"
              + " or drop it");
    }
    if (inWord) {
      words.add(word.toString());
    }
    if (words.isEmpty()) {
      throw new BenchException(
          option + " is empty; pass the command that runs Geneva, for example " + option
              + " \"geneva-cli/target/bin/geneva\"");
    }
    return List.copyOf(words);
  }
}
