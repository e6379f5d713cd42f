package io.geneva.internal.classpath;

import io.geneva.ConfigurationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Decides which files and directories under a classpath directory are left out of the upload,
 * using gitignore-style patterns.
 *
 * <p>The patterns follow git's {@code gitignore} rules: blank lines and lines starting with
 * {@code #} are ignored ({@code \#} and {@code \!} match a literal leading {@code #} or {@code !});
 * trailing spaces are dropped unless escaped with {@code \}; {@code !} negates a pattern and the
 * last matching pattern wins; a trailing {@code /} matches directories only; a pattern with a
 * {@code /} at the beginning or in the middle is anchored to the directory root, any other pattern
 * matches a name at any depth; {@code *} matches anything but {@code /}, {@code ?} one character
 * but {@code /}, {@code [a-z]}, {@code [!a-z]} and {@code [[:digit:]]} are character classes; a
 * leading {@code **}{@code /} matches in all directories, a trailing {@code /**} matches everything
 * inside, and {@code /**}{@code /} matches zero or more directories. As in git, a path is excluded
 * when it or any of its parent directories is excluded, and a negated pattern cannot re-include a
 * path whose parent directory is excluded.
 *
 * <p>Every pattern is compiled once by {@link #of(List)}, so {@link #excludes(String, boolean)}
 * does no parsing and is cheap enough to call for every path of a large classpath.
 *
 * <pre>{@code
 * ExcludeMatcher matcher = ExcludeMatcher.of(List.of("*.log", "!keep.log", "/build/"));
 * matcher.excludes("logs/app.log", false);  // true
 * matcher.excludes("logs/keep.log", false); // false
 * matcher.excludes("build", true);          // true
 * matcher.excludes("src/build", true);      // false: "/build/" is anchored to the root
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ExcludeMatcher {

  private static final List<String> DEFAULT_PATTERNS =
      List.of(
          ".git/",
          ".hg/",
          ".svn/",
          ".idea/",
          ".vscode/",
          ".gradle/",
          ".settings/",
          ".DS_Store",
          "*.swp",
          "*~",
          "__pycache__/",
          ".ipynb_checkpoints/");

  private static final Map<String, String> POSIX_CLASSES =
      Map.ofEntries(
          Map.entry("alnum", "\\p{Alnum}"),
          Map.entry("alpha", "\\p{Alpha}"),
          Map.entry("blank", "\\p{Blank}"),
          Map.entry("cntrl", "\\p{Cntrl}"),
          Map.entry("digit", "\\p{Digit}"),
          Map.entry("graph", "\\p{Graph}"),
          Map.entry("lower", "\\p{Lower}"),
          Map.entry("print", "\\p{Print}"),
          Map.entry("punct", "\\p{Punct}"),
          Map.entry("space", "\\p{Space}"),
          Map.entry("upper", "\\p{Upper}"),
          Map.entry("xdigit", "\\p{XDigit}"));

  private final List<String> patterns;
  private final Rule[] rules;

  private ExcludeMatcher(List<String> patterns, Rule[] rules) {
    this.patterns = patterns;
    this.rules = rules;
  }

  /**
   * Compiles gitignore-style patterns, one pattern per element, in the order git would read them
   * from a {@code .gitignore} file.
   *
   * @param patterns the patterns; blank elements and {@code #} comments are allowed and ignored
   * @return a matcher for the patterns; it keeps its own copy of the list
   * @throws ConfigurationException if a pattern is invalid, for example has an unclosed {@code [}
   *     character class or is empty after its {@code !} and trailing {@code /} are removed
   * @throws NullPointerException if the list or any of its elements is null
   */
  public static ExcludeMatcher of(List<String> patterns) {
    Objects.requireNonNull(patterns, "patterns");
    List<Rule> rules = new ArrayList<>(patterns.size());
    for (int i = 0; i < patterns.size(); i++) {
      int index = i;
      String pattern = Objects.requireNonNull(patterns.get(i), () -> "patterns[" + index + "]");
      Rule rule = Rule.parse(pattern);
      if (rule != null) {
        rules.add(rule);
      }
    }
    return new ExcludeMatcher(List.copyOf(patterns), rules.toArray(new Rule[0]));
  }

  /**
   * Returns the patterns Geneva excludes unless told otherwise: version-control metadata
   * ({@code .git/}, {@code .hg/}, {@code .svn/}), IDE and build-tool state ({@code .idea/},
   * {@code .vscode/}, {@code .gradle/}, {@code .settings/}), editor and OS litter ({@code
   * .DS_Store}, {@code *.swp}, {@code *~}) and Python caches ({@code __pycache__/}, {@code
   * .ipynb_checkpoints/}).
   *
   * @return the default patterns, as an unmodifiable list
   */
  public static List<String> defaultPatterns() {
    return DEFAULT_PATTERNS;
  }

  /**
   * Tells whether a path is excluded: it, or one of its parent directories, is matched last by a
   * pattern that is not negated.
   *
   * <p>A scanner can call this for each directory before descending into it and skip the subtree
   * when it returns {@code true}; calling it directly on a deep path gives the same answer.
   *
   * @param relativePath the path relative to the classpath directory root, with {@code /}
   *     separators and no leading or trailing {@code /}, for example {@code com/acme/Foo.class}
   * @param directory whether the path names a directory; patterns ending in {@code /} match only
   *     directories
   * @return {@code true} if the path is excluded
   * @throws IllegalArgumentException if the path is empty or starts or ends with {@code /}
   * @throws NullPointerException if the path is null
   */
  public boolean excludes(String relativePath, boolean directory) {
    Objects.requireNonNull(relativePath, "relativePath");
    if (relativePath.isEmpty()
        || relativePath.charAt(0) == '/'
        || relativePath.charAt(relativePath.length() - 1) == '/') {
      throw new IllegalArgumentException(
          "relativePath \""
              + relativePath
              + "\" must be a non-empty path relative to the root,"
              + " without a leading or trailing '/'");
    }
    // Git never looks inside an excluded directory, so nothing below it can be re-included.
    for (int slash = relativePath.indexOf('/');
        slash >= 0;
        slash = relativePath.indexOf('/', slash + 1)) {
      if (lastMatchExcludes(relativePath, slash, true)) {
        return true;
      }
    }
    return lastMatchExcludes(relativePath, relativePath.length(), directory);
  }

  /**
   * Like {@link #excludes(String, boolean)}, for a walker that has already checked every parent
   * directory of {@code relativePath} and did not descend into excluded ones: only the path itself is
   * decided, which makes the check for a file one pass over the rules.
   *
   * @param relativePath the path, '/'-separated, relative to the root, without leading or trailing '/'
   * @param directory whether the path is a directory
   * @return true if the path is excluded
   */
  public boolean excludesChildOfIncluded(String relativePath, boolean directory) {
    return lastMatchExcludes(relativePath, relativePath.length(), directory);
  }

  /**
   * Returns the patterns this matcher was created from, including any blank lines and comments.
   *
   * @return the patterns, as an unmodifiable list
   */
  public List<String> patterns() {
    return patterns;
  }

  /** Returns a description listing the patterns, for logs and error messages. */
  @Override
  public String toString() {
    return "ExcludeMatcher" + patterns;
  }

  /** Decides {@code path[0, end)} alone, ignoring its parents: the last matching rule wins. */
  private boolean lastMatchExcludes(String path, int end, boolean directory) {
    int nameStart = path.lastIndexOf('/', end - 1) + 1;
    for (int i = rules.length - 1; i >= 0; i--) {
      Rule rule = rules[i];
      if (rule.directoryOnly && !directory) {
        continue;
      }
      if (rule.body.matches(path, rule.nameOnly ? nameStart : 0, end)) {
        return !rule.negated;
      }
    }
    return false;
  }

  /** One compiled pattern line. */
  private static final class Rule {
    final boolean negated;
    final boolean directoryOnly;
    /** A pattern without a slash is matched against the last path segment, at any depth. */
    final boolean nameOnly;

    final Body body;

    private Rule(boolean negated, boolean directoryOnly, boolean nameOnly, Body body) {
      this.negated = negated;
      this.directoryOnly = directoryOnly;
      this.nameOnly = nameOnly;
      this.body = body;
    }

    /** Parses a line as git's {@code parse_path_pattern} does; null for blanks and comments. */
    static Rule parse(String pattern) {
      if (pattern.isBlank() || pattern.startsWith("#")) {
        return null;
      }
      String text = trimTrailingSpaces(pattern);
      boolean negated = text.startsWith("!");
      if (negated) {
        text = text.substring(1);
      }
      boolean directoryOnly = text.endsWith("/");
      if (directoryOnly) {
        text = text.substring(0, text.length() - 1);
      }
      boolean nameOnly = text.indexOf('/') < 0;
      if (!nameOnly && text.startsWith("/")) {
        text = text.substring(1);
      }
      if (text.isEmpty()) {
        throw new ConfigurationException(
            "exclude pattern \""
                + pattern
                + "\" names no path once its '!' and '/' are removed, so it matches nothing;"
                + " add the name to match (e.g. \"!keep.txt\" or \"/build/\"),"
                + " or remove the pattern");
      }
      return new Rule(negated, directoryOnly, nameOnly, Body.compile(pattern, text, nameOnly));
    }

    /** Drops unescaped trailing spaces; {@code "a\ "} keeps its escaped space. */
    private static String trimTrailingSpaces(String pattern) {
      int end = pattern.length();
      int lastSpace = -1;
      for (int i = 0; i < end; i++) {
        char c = pattern.charAt(i);
        if (c == ' ') {
          if (lastSpace < 0) {
            lastSpace = i;
          }
        } else {
          if (c == '\\') {
            i++;
          }
          lastSpace = -1;
        }
      }
      return lastSpace < 0 ? pattern : pattern.substring(0, lastSpace);
    }
  }

  /** Matches a region of a path against the glob part of a pattern. */
  private interface Body {
    boolean matches(String path, int from, int to);

    /** Picks the cheapest form: most real patterns are a plain name or {@code *.suffix}. */
    static Body compile(String pattern, String glob, boolean nameOnly) {
      if (isPlain(glob, 0)) {
        return (path, from, to) ->
            to - from == glob.length() && path.regionMatches(from, glob, 0, glob.length());
      }
      if (nameOnly && glob.charAt(0) == '*' && isPlain(glob, 1)) {
        String suffix = glob.substring(1);
        return (path, from, to) ->
            to - from >= suffix.length()
                && path.regionMatches(to - suffix.length(), suffix, 0, suffix.length());
      }
      String translated = new GlobTranslator(pattern, glob).translate();
      Pattern regex = Pattern.compile(translated, Pattern.DOTALL);
      return (path, from, to) -> regex.matcher(path).region(from, to).matches();
    }

    private static boolean isPlain(String glob, int from) {
      for (int i = from; i < glob.length(); i++) {
        char c = glob.charAt(i);
        if (c == '*' || c == '?' || c == '[' || c == '\\') {
          return false;
        }
      }
      return true;
    }
  }

  /** Translates a glob to a regular expression with the semantics of git's {@code wildmatch}. */
  private static final class GlobTranslator {
    private final String pattern;
    private final String glob;
    private final StringBuilder regex = new StringBuilder();
    private int pos;

    GlobTranslator(String pattern, String glob) {
      this.pattern = pattern;
      this.glob = glob;
    }

    String translate() {
      while (pos < glob.length()) {
        char c = glob.charAt(pos);
        switch (c) {
          case '\\' -> {
            if (pos + 1 == glob.length()) {
              throw invalid(
                  "ends with a lone '\\', so it can never match;"
                      + " remove it or escape it as '\\\\'");
            }
            appendLiteral(regex, glob.charAt(pos + 1));
            pos += 2;
          }
          case '?' -> {
            regex.append("[^/]");
            pos++;
          }
          case '*' -> translateStars();
          case '[' -> translateClass();
          default -> {
            appendLiteral(regex, c);
            pos++;
          }
        }
      }
      return regex.toString();
    }

    /** {@code **} crosses directories only as a whole segment; elsewhere it is a {@code *}. */
    private void translateStars() {
      int start = pos;
      while (pos < glob.length() && glob.charAt(pos) == '*') {
        pos++;
      }
      boolean segmentStart = start == 0 || glob.charAt(start - 1) == '/';
      boolean atEnd = pos == glob.length();
      boolean beforeSlash = !atEnd && glob.charAt(pos) == '/';
      boolean beforeEscapedSlash = glob.startsWith("\\/", pos);
      if (pos - start < 2 || !segmentStart || !(atEnd || beforeSlash || beforeEscapedSlash)) {
        regex.append("[^/]*");
      } else if (beforeSlash) {
        regex.append("(?:.*/)?");
        pos++;
      } else {
        regex.append(".*");
      }
    }

    /** As in wildmatch: a leading ']' is literal, '!' or '^' negates, '/' never matches. */
    private void translateClass() {
      int p = pos + 1;
      boolean negated = p < glob.length() && (glob.charAt(p) == '!' || glob.charAt(p) == '^');
      if (negated) {
        p++;
      }
      StringBuilder items = new StringBuilder();
      int previous = -1;
      boolean first = true;
      while (true) {
        if (p >= glob.length()) {
          throw unclosedClass();
        }
        char c = glob.charAt(p);
        if (c == ']' && !first) {
          p++;
          break;
        }
        first = false;
        if (c == '\\') {
          if (++p >= glob.length()) {
            throw unclosedClass();
          }
          previous = glob.charAt(p++);
          appendLiteral(items, (char) previous);
        } else if (c == '-'
            && previous >= 0
            && p + 1 < glob.length()
            && glob.charAt(p + 1) != ']') {
          char last = glob.charAt(++p);
          if (last == '\\') {
            if (++p >= glob.length()) {
              throw unclosedClass();
            }
            last = glob.charAt(p);
          }
          if (last < previous) {
            throw invalid(
                "has the range '"
                    + (char) previous
                    + "-"
                    + last
                    + "' whose start comes after its end; write it as '"
                    + last
                    + "-"
                    + (char) previous
                    + "'");
          }
          items.append('-');
          appendLiteral(items, last);
          previous = -1;
          p++;
        } else if (c == '[' && glob.startsWith(":", p + 1)) {
          int close = glob.indexOf(']', p + 2);
          if (close < 0) {
            throw unclosedClass();
          }
          if (close == p + 2 || glob.charAt(close - 1) != ':') {
            // Not "[:name:]" after all: git reads the '[' as an ordinary member.
            appendLiteral(items, c);
            previous = c;
            p++;
          } else {
            items.append(posixClass(glob.substring(p + 2, close - 1)));
            previous = -1;
            p = close + 1;
          }
        } else {
          appendLiteral(items, c);
          previous = c;
          p++;
        }
      }
      if (negated) {
        regex.append("[^/").append(items).append(']');
      } else {
        regex.append('[').append(items).append("&&[^/]]");
      }
      pos = p;
    }

    private String posixClass(String name) {
      String regexClass = POSIX_CLASSES.get(name);
      if (regexClass == null) {
        throw invalid(
            "uses the unknown character class \"[:"
                + name
                + ":]\"; use one of "
                + String.join(
                    ", ",
                    POSIX_CLASSES.keySet().stream().sorted().map(n -> "[:" + n + ":]").toList())
                + ", or escape the '[' as '\\['");
      }
      return regexClass;
    }

    private ConfigurationException unclosedClass() {
      return invalid(
          "has an unclosed character class '['; close it with ']' or escape it as '\\['");
    }

    private ConfigurationException invalid(String problem) {
      return new ConfigurationException("exclude pattern \"" + pattern + "\" " + problem);
    }

    /** Backslash-escapes ASCII punctuation, which Java's regex syntax then reads literally. */
    private static void appendLiteral(StringBuilder out, char c) {
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c > 0x7f) {
        out.append(c);
      } else {
        out.append('\\').append(c);
      }
    }
  }
}
