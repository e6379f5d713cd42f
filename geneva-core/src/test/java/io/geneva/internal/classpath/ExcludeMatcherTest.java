package io.geneva.internal.classpath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geneva.ConfigurationException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ExcludeMatcherTest {

  private static ExcludeMatcher matcher(String... patterns) {
    return ExcludeMatcher.of(List.of(patterns));
  }

  private static boolean excludesFile(ExcludeMatcher matcher, String path) {
    return matcher.excludes(path, false);
  }

  private static boolean excludesDir(ExcludeMatcher matcher, String path) {
    return matcher.excludes(path, true);
  }

  @Nested
  class Lines {

    @Test
    void emptyPatternList_excludesNothing() {
      ExcludeMatcher matcher = matcher();

      assertThat(excludesFile(matcher, "com/acme/Foo.class")).isFalse();
      assertThat(excludesDir(matcher, ".git")).isFalse();
    }

    @Test
    void blankLinesAndComments_areIgnored() {
      ExcludeMatcher matcher = matcher("", "   ", "# secret.txt", "#", "*.log");

      assertThat(excludesFile(matcher, "secret.txt")).isFalse();
      assertThat(excludesFile(matcher, "# secret.txt")).isFalse();
      assertThat(excludesFile(matcher, "app.log")).isTrue();
    }

    @Test
    void escapedHash_matchesNameStartingWithHash() {
      ExcludeMatcher matcher = matcher("\\#notes#");

      assertThat(excludesFile(matcher, "#notes#")).isTrue();
      assertThat(excludesFile(matcher, "dir/#notes#")).isTrue();
      assertThat(excludesFile(matcher, "notes#")).isFalse();
    }

    @Test
    void escapedBang_matchesNameStartingWithBang() {
      ExcludeMatcher matcher = matcher("*.txt", "\\!important.txt");

      assertThat(excludesFile(matcher, "!important.txt")).isTrue();
      assertThat(excludesFile(matcher, "important.txt")).isTrue();
    }

    @Test
    void trailingSpaces_areIgnored() {
      ExcludeMatcher matcher = matcher("build/   ", "*.log  ");

      assertThat(excludesDir(matcher, "build")).isTrue();
      assertThat(excludesFile(matcher, "app.log")).isTrue();
      assertThat(excludesFile(matcher, "app.log  ")).isFalse();
    }

    @Test
    void escapedTrailingSpace_isKept() {
      ExcludeMatcher matcher = matcher("name\\ ", "other\\  ");

      assertThat(excludesFile(matcher, "name ")).isTrue();
      assertThat(excludesFile(matcher, "name")).isFalse();
      assertThat(excludesFile(matcher, "other ")).isTrue();
      assertThat(excludesFile(matcher, "other  ")).isFalse();
    }

    @Test
    void leadingSpaces_arePartOfThePattern() {
      ExcludeMatcher matcher = matcher(" lead");

      assertThat(excludesFile(matcher, " lead")).isTrue();
      assertThat(excludesFile(matcher, "lead")).isFalse();
    }

    @Test
    void backslash_makesWildcardLiteral() {
      ExcludeMatcher matcher = matcher("a\\*b", "q\\?");

      assertThat(excludesFile(matcher, "a*b")).isTrue();
      assertThat(excludesFile(matcher, "axb")).isFalse();
      assertThat(excludesFile(matcher, "q?")).isTrue();
      assertThat(excludesFile(matcher, "qx")).isFalse();
    }

    @Test
    void regexMetacharacters_matchLiterally() {
      ExcludeMatcher matcher = matcher("a.b+(c)|{d}$", "x.y/*.z");

      assertThat(excludesFile(matcher, "a.b+(c)|{d}$")).isTrue();
      assertThat(excludesFile(matcher, "aXb+(c)|{d}$")).isFalse();
      assertThat(excludesFile(matcher, "x.y/f.z")).isTrue();
      assertThat(excludesFile(matcher, "xzy/f.z")).isFalse();
    }
  }

  @Nested
  class Negation {

    @Test
    void negation_reincludesPathExcludedByEarlierPattern() {
      ExcludeMatcher matcher = matcher("*.log", "!keep.log");

      assertThat(excludesFile(matcher, "app.log")).isTrue();
      assertThat(excludesFile(matcher, "keep.log")).isFalse();
      assertThat(excludesFile(matcher, "logs/keep.log")).isFalse();
    }

    @Test
    void lastMatchingPattern_wins() {
      ExcludeMatcher matcher = matcher("!keep.log", "*.log");

      assertThat(excludesFile(matcher, "keep.log")).isTrue();
    }

    @Test
    void laterPattern_reexcludesAfterNegation() {
      ExcludeMatcher matcher = matcher("*.log", "!*.log", "debug.log");

      assertThat(excludesFile(matcher, "app.log")).isFalse();
      assertThat(excludesFile(matcher, "debug.log")).isTrue();
    }

    @Test
    void negation_cannotReincludeFileInsideExcludedDirectory() {
      ExcludeMatcher matcher = matcher("build/", "!build/keep.txt");

      assertThat(excludesDir(matcher, "build")).isTrue();
      assertThat(excludesFile(matcher, "build/keep.txt")).isTrue();
    }

    @Test
    void negation_reincludesDirectoryWhenOnlyItsSiblingsAreExcluded() {
      ExcludeMatcher matcher = matcher("/*", "!/foo", "/foo/*", "!/foo/bar");

      assertThat(excludesFile(matcher, "top.txt")).isTrue();
      assertThat(excludesDir(matcher, "foo")).isFalse();
      assertThat(excludesFile(matcher, "foo/other.txt")).isTrue();
      assertThat(excludesDir(matcher, "foo/bar")).isFalse();
      assertThat(excludesFile(matcher, "foo/bar/deep/File.class")).isFalse();
    }

    @Test
    void negatedDirectoryPattern_doesNotReincludeFiles() {
      ExcludeMatcher matcher = matcher("data*", "!data/");

      assertThat(excludesDir(matcher, "data")).isFalse();
      assertThat(excludesFile(matcher, "data")).isTrue();
    }
  }

  @Nested
  class DirectoryOnly {

    @Test
    void trailingSlash_matchesDirectory() {
      ExcludeMatcher matcher = matcher("target/");

      assertThat(excludesDir(matcher, "target")).isTrue();
      assertThat(excludesDir(matcher, "module/target")).isTrue();
    }

    @Test
    void trailingSlash_doesNotMatchFileOfTheSameName() {
      ExcludeMatcher matcher = matcher("target/");

      assertThat(excludesFile(matcher, "target")).isFalse();
      assertThat(excludesFile(matcher, "module/target")).isFalse();
    }

    @Test
    void trailingSlash_excludesEverythingBelowTheDirectoryWhenCalledOnDeepPath() {
      ExcludeMatcher matcher = matcher("target/");

      assertThat(excludesFile(matcher, "module/target/classes/Foo.class")).isTrue();
      assertThat(excludesDir(matcher, "module/target/classes")).isTrue();
    }

    @Test
    void patternWithoutTrailingSlash_matchesFilesAndDirectories() {
      ExcludeMatcher matcher = matcher("tmp");

      assertThat(excludesFile(matcher, "tmp")).isTrue();
      assertThat(excludesDir(matcher, "tmp")).isTrue();
      assertThat(excludesFile(matcher, "tmp/a.txt")).isTrue();
    }
  }

  @Nested
  class Anchoring {

    @Test
    void patternWithoutSlash_matchesAtAnyDepth() {
      ExcludeMatcher matcher = matcher("*.tmp");

      assertThat(excludesFile(matcher, "a.tmp")).isTrue();
      assertThat(excludesFile(matcher, "com/acme/b.tmp")).isTrue();
      assertThat(excludesFile(matcher, "com/acme/b.tmp.class")).isFalse();
    }

    @Test
    void leadingSlash_anchorsToRoot() {
      ExcludeMatcher matcher = matcher("/build");

      assertThat(excludesDir(matcher, "build")).isTrue();
      assertThat(excludesDir(matcher, "module/build")).isFalse();
      assertThat(excludesFile(matcher, "build/x.class")).isTrue();
    }

    @Test
    void middleSlash_anchorsToRoot() {
      ExcludeMatcher matcher = matcher("doc/frotz");

      assertThat(excludesFile(matcher, "doc/frotz")).isTrue();
      assertThat(excludesFile(matcher, "a/doc/frotz")).isFalse();
    }

    @Test
    void middleSlashWithTrailingSlash_isAnchoredAndDirectoryOnly() {
      ExcludeMatcher matcher = matcher("doc/frotz/");

      assertThat(excludesDir(matcher, "doc/frotz")).isTrue();
      assertThat(excludesFile(matcher, "doc/frotz")).isFalse();
      assertThat(excludesDir(matcher, "a/doc/frotz")).isFalse();
    }

    @Test
    void onlyTrailingSlash_doesNotAnchor() {
      ExcludeMatcher matcher = matcher("frotz/");

      assertThat(excludesDir(matcher, "frotz")).isTrue();
      assertThat(excludesDir(matcher, "a/frotz")).isTrue();
    }
  }

  @Nested
  class Wildcards {

    @Test
    void star_matchesAnythingWithinOneSegment() {
      ExcludeMatcher matcher = matcher("foo*bar");

      assertThat(excludesFile(matcher, "foobar")).isTrue();
      assertThat(excludesFile(matcher, "foo-anything-bar")).isTrue();
      assertThat(excludesFile(matcher, "foo-bar.txt")).isFalse();
    }

    @Test
    void star_doesNotMatchSlash() {
      ExcludeMatcher matcher = matcher("doc/*.txt");

      assertThat(excludesFile(matcher, "doc/a.txt")).isTrue();
      assertThat(excludesFile(matcher, "doc/sub/a.txt")).isFalse();
    }

    @Test
    void questionMark_matchesExactlyOneCharacterExceptSlash() {
      ExcludeMatcher matcher = matcher("a?c", "/x?y");

      assertThat(excludesFile(matcher, "abc")).isTrue();
      assertThat(excludesFile(matcher, "ac")).isFalse();
      assertThat(excludesFile(matcher, "abbc")).isFalse();
      assertThat(excludesFile(matcher, "x/y")).isFalse();
    }

    @Test
    void characterClass_matchesRangeAndListedCharacters() {
      ExcludeMatcher matcher = matcher("file[0-9x].txt");

      assertThat(excludesFile(matcher, "file7.txt")).isTrue();
      assertThat(excludesFile(matcher, "filex.txt")).isTrue();
      assertThat(excludesFile(matcher, "filea.txt")).isFalse();
      assertThat(excludesFile(matcher, "file10.txt")).isFalse();
    }

    @Test
    void characterClassWithBang_matchesCharactersOutsideIt() {
      ExcludeMatcher matcher = matcher("file[!a-z].txt");

      assertThat(excludesFile(matcher, "file1.txt")).isTrue();
      assertThat(excludesFile(matcher, "fileq.txt")).isFalse();
    }

    @Test
    void characterClassWithCaret_isNegatedLikeBang() {
      ExcludeMatcher matcher = matcher("file[^a-z].txt");

      assertThat(excludesFile(matcher, "file1.txt")).isTrue();
      assertThat(excludesFile(matcher, "fileq.txt")).isFalse();
    }

    @Test
    void characterClass_neverMatchesSlash() {
      ExcludeMatcher matcher = matcher("a[!b]c", "x[/]y");

      assertThat(excludesFile(matcher, "a/c")).isFalse();
      assertThat(excludesFile(matcher, "x/y")).isFalse();
    }

    @Test
    void characterClass_treatsLeadingCloseBracketAndEdgeDashAsLiterals() {
      ExcludeMatcher matcher = matcher("[]]", "[!]]x", "[-a]1", "[a-]2");

      assertThat(excludesFile(matcher, "]")).isTrue();
      assertThat(excludesFile(matcher, "qx")).isTrue();
      assertThat(excludesFile(matcher, "]x")).isFalse();
      assertThat(excludesFile(matcher, "-1")).isTrue();
      assertThat(excludesFile(matcher, "-2")).isTrue();
      assertThat(excludesFile(matcher, "b1")).isFalse();
    }

    @Test
    void characterClass_acceptsPosixNames() {
      ExcludeMatcher matcher = matcher("v[[:digit:]]", "[[:upper:]]*.bak");

      assertThat(excludesFile(matcher, "v1")).isTrue();
      assertThat(excludesFile(matcher, "vx")).isFalse();
      assertThat(excludesFile(matcher, "Old.bak")).isTrue();
      assertThat(excludesFile(matcher, "old.bak")).isFalse();
    }

    @Test
    void characterClass_isCaseSensitive() {
      ExcludeMatcher matcher = matcher("[a-z].txt", "README");

      assertThat(excludesFile(matcher, "A.txt")).isFalse();
      assertThat(excludesFile(matcher, "readme")).isFalse();
    }
  }

  @Nested
  class DoubleStar {

    @Test
    void leadingDoubleStar_matchesInAllDirectories() {
      ExcludeMatcher matcher = matcher("**/foo");

      assertThat(excludesFile(matcher, "foo")).isTrue();
      assertThat(excludesFile(matcher, "a/foo")).isTrue();
      assertThat(excludesDir(matcher, "a/b/foo")).isTrue();
      assertThat(excludesFile(matcher, "a/xfoo")).isFalse();
    }

    @Test
    void leadingDoubleStar_matchesMultiSegmentPathAtAnyDepth() {
      ExcludeMatcher matcher = matcher("**/foo/bar");

      assertThat(excludesFile(matcher, "foo/bar")).isTrue();
      assertThat(excludesFile(matcher, "x/y/foo/bar")).isTrue();
      assertThat(excludesFile(matcher, "x/foo/baz")).isFalse();
    }

    @Test
    void trailingDoubleStar_matchesEverythingInsideButNotTheDirectoryItself() {
      ExcludeMatcher matcher = matcher("abc/**");

      assertThat(excludesDir(matcher, "abc")).isFalse();
      assertThat(excludesFile(matcher, "abc/x")).isTrue();
      assertThat(excludesFile(matcher, "abc/x/y/z.class")).isTrue();
      assertThat(excludesFile(matcher, "other/abc/x")).isFalse();
    }

    @Test
    void trailingDoubleStar_allowsReincludingAFileInside() {
      ExcludeMatcher matcher = matcher("abc/**", "!abc/keep.txt");

      assertThat(excludesFile(matcher, "abc/keep.txt")).isFalse();
      assertThat(excludesFile(matcher, "abc/drop.txt")).isTrue();
    }

    @Test
    void middleDoubleStar_matchesZeroOrMoreDirectories() {
      ExcludeMatcher matcher = matcher("a/**/b");

      assertThat(excludesFile(matcher, "a/b")).isTrue();
      assertThat(excludesFile(matcher, "a/x/b")).isTrue();
      assertThat(excludesFile(matcher, "a/x/y/b")).isTrue();
      assertThat(excludesFile(matcher, "a/xb")).isFalse();
      assertThat(excludesFile(matcher, "z/a/b")).isFalse();
    }

    @Test
    void doubleStarNextToOtherCharacters_actsAsSingleStar() {
      ExcludeMatcher matcher = matcher("/foo**", "/x/**bar");

      assertThat(excludesFile(matcher, "foobar")).isTrue();
      assertThat(excludesFile(matcher, "x/bar")).isTrue();
      assertThat(excludesFile(matcher, "x/abar")).isTrue();
      assertThat(excludesFile(matcher, "x/a/bar")).isFalse();
    }

    @Test
    void doubleStarAlone_matchesEverything() {
      ExcludeMatcher matcher = matcher("**");

      assertThat(excludesFile(matcher, "a")).isTrue();
      assertThat(excludesDir(matcher, "a/b")).isTrue();
    }
  }

  @Nested
  class Defaults {

    private final ExcludeMatcher defaults = ExcludeMatcher.of(ExcludeMatcher.defaultPatterns());

    @Test
    void defaultPatterns_listVersionControlIdeAndCacheEntries() {
      assertThat(ExcludeMatcher.defaultPatterns())
          .containsExactly(
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
    }

    @Test
    void defaultPatterns_areUnmodifiable() {
      List<String> patterns = ExcludeMatcher.defaultPatterns();

      assertThatThrownBy(() -> patterns.add("*.class"))
          .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void defaults_excludeGitDirectoryAtAnyDepth() {
      assertThat(excludesDir(defaults, ".git")).isTrue();
      assertThat(excludesDir(defaults, "vendor/lib/.git")).isTrue();
      assertThat(excludesFile(defaults, "vendor/.git/HEAD")).isTrue();
    }

    @Test
    void defaults_doNotExcludeGitignoreOrGitFile() {
      assertThat(excludesFile(defaults, "src/.gitignore")).isFalse();
      assertThat(excludesFile(defaults, ".gitattributes")).isFalse();
      assertThat(excludesFile(defaults, "submodule/.git")).isFalse();
    }

    @Test
    void defaults_excludeEditorAndOsLitter() {
      assertThat(excludesFile(defaults, "com/acme/.DS_Store")).isTrue();
      assertThat(excludesFile(defaults, "com/acme/.Foo.java.swp")).isTrue();
      assertThat(excludesFile(defaults, "config.properties~")).isTrue();
      assertThat(excludesDir(defaults, "scripts/__pycache__")).isTrue();
      assertThat(excludesDir(defaults, "notebook/.ipynb_checkpoints")).isTrue();
      assertThat(excludesDir(defaults, ".idea")).isTrue();
    }

    @Test
    void defaults_keepClassesResourcesAndMavenWrapper() {
      assertThat(excludesFile(defaults, "com/acme/Foo.class")).isFalse();
      assertThat(excludesFile(defaults, "META-INF/MANIFEST.MF")).isFalse();
      assertThat(excludesFile(defaults, ".mvn/wrapper/maven-wrapper.jar")).isFalse();
    }
  }

  @Nested
  class DeepPaths {

    @Test
    void deepPath_givesSameAnswerAsWalkThatPrunesExcludedDirectories() {
      ExcludeMatcher matcher =
          matcher("gen/", "!gen/keep/", "/out/**", "!/out/a/**", "*.tmp", "!x.tmp");
      List<String> files =
          List.of(
              "gen/keep/A.class",
              "src/gen/B.class",
              "out/a/b/C.class",
              "out/d/D.class",
              "lib/x.tmp/E.class",
              "lib/y.tmp/F.class",
              "com/acme/G.class");

      for (String file : files) {
        assertThat(matcher.excludes(file, false))
            .as(file)
            .isEqualTo(excludedByPruningWalk(matcher, file));
      }
    }

    private boolean excludedByPruningWalk(ExcludeMatcher matcher, String file) {
      List<String> segments = Arrays.asList(file.split("/"));
      List<String> prefix = new ArrayList<>();
      for (String directory : segments.subList(0, segments.size() - 1)) {
        prefix.add(directory);
        if (matcher.excludes(String.join("/", prefix), true)) {
          return true;
        }
      }
      return matcher.excludes(file, false);
    }
  }

  @Nested
  class InvalidPatterns {

    @Test
    void unclosedCharacterClass_isRejectedWithFix() {
      assertThatThrownBy(() -> matcher("[abc"))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage(
              "exclude pattern \"[abc\" has an unclosed character class '[';"
                  + " close it with ']' or escape it as '\\['");
    }

    @Test
    void unclosedCharacterClassAfterLeadingCloseBracket_isRejected() {
      assertThatThrownBy(() -> matcher("!build/[]"))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("\"!build/[]\"")
          .hasMessageContaining("unclosed character class");
    }

    @Test
    void bangAlone_isRejectedWithFix() {
      assertThatThrownBy(() -> matcher("*.log", "!"))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("exclude pattern \"!\"")
          .hasMessageContaining("matches nothing")
          .hasMessageContaining("\"!keep.txt\"");
    }

    @Test
    void slashAlone_isRejected() {
      assertThatThrownBy(() -> matcher("/"))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("exclude pattern \"/\"")
          .hasMessageContaining("matches nothing");
    }

    @Test
    void trailingLoneBackslash_isRejectedWithFix() {
      assertThatThrownBy(() -> matcher("dir\\"))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage(
              "exclude pattern \"dir\\\" ends with a lone '\\', so it can never match;"
                  + " remove it or escape it as '\\\\'");
    }

    @Test
    void unknownPosixClass_isRejectedListingTheKnownOnes() {
      assertThatThrownBy(() -> matcher("[[:word:]]"))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("exclude pattern \"[[:word:]]\"")
          .hasMessageContaining("unknown character class \"[:word:]\"")
          .hasMessageContaining("[:alpha:]");
    }

    @Test
    void reversedRange_isRejectedWithCorrectedRange() {
      assertThatThrownBy(() -> matcher("[z-a]"))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage(
              "exclude pattern \"[z-a]\" has the range 'z-a' whose start comes after its end;"
                  + " write it as 'a-z'");
    }
  }

  @Nested
  class Arguments {

    @Test
    void nullPatternList_throwsNullPointerException() {
      assertThatThrownBy(() -> ExcludeMatcher.of(null))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("patterns");
    }

    @Test
    void nullPattern_throwsNullPointerExceptionNamingItsIndex() {
      assertThatThrownBy(() -> ExcludeMatcher.of(Arrays.asList("*.log", null)))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("patterns[1]");
    }

    @Test
    void nullPath_throwsNullPointerException() {
      ExcludeMatcher matcher = matcher("*.log");

      assertThatThrownBy(() -> matcher.excludes(null, false))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("relativePath");
    }

    @Test
    void pathThatIsEmptyOrHasLeadingOrTrailingSlash_isRejected() {
      ExcludeMatcher matcher = matcher("*.log");

      for (String path : List.of("", "/a.log", "dir/")) {
        assertThatThrownBy(() -> matcher.excludes(path, false))
            .as(path)
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("\"" + path + "\"");
      }
    }
  }

  @Nested
  class Patterns {

    @Test
    void patterns_returnsAnUnmodifiableCopyIncludingComments() {
      List<String> input = new ArrayList<>(List.of("# comment", "*.log"));
      ExcludeMatcher matcher = ExcludeMatcher.of(input);
      input.add("*.class");

      assertThat(matcher.patterns()).containsExactly("# comment", "*.log");
      assertThat(excludesFile(matcher, "A.class")).isFalse();
      assertThatThrownBy(() -> matcher.patterns().add("x"))
          .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void toString_listsThePatterns() {
      ExcludeMatcher matcher = matcher("*.log", "!keep.log");

      assertThat(matcher).hasToString("ExcludeMatcher[*.log, !keep.log]");
    }
  }
}
