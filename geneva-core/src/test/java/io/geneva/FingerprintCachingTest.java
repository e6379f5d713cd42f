package io.geneva;

import static org.assertj.core.api.Assertions.assertThat;

import io.geneva.internal.session.OpenSession;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The persistent fingerprint index, seen through whole sessions: what is read, and when. */
class FingerprintCachingTest {
  @TempDir Path tempDir;

  private Sandbox sandbox;
  private Path first;
  private Path second;
  private List<String> firstFiles;

  @BeforeEach
  void layout() {
    sandbox = new Sandbox(tempDir);
    first = sandbox.project.resolve("first/classes");
    second = sandbox.project.resolve("second/classes");
    firstFiles = FixtureFiles.classTree(first, 60, 1);
    FixtureFiles.classTree(second, 60, 2);
  }

  private StartupReport runWith(GenevaSession.Builder builder, RecordingOpener opener) {
    try (GenevaSession session = OpenSession.open(builder.toConfig().withOpener(opener))) {
      return session.startupReport();
    }
  }

  private static List<Path> indexFiles(Path home) throws IOException {
    try (Stream<Path> s = Files.list(home.resolve("index"))) {
      return s.filter(p -> p.getFileName().toString().endsWith(".idx")).sorted().toList();
    }
  }

  @Test
  void editsToALargeDirectory_appendToItsIndex_andGiveTheManifestOfAFreshHome() throws IOException {
    Path big = sandbox.project.resolve("big/classes");
    List<String> files = FixtureFiles.classTree(big, 3000, 3);
    sandbox.run(big);
    Path index = indexFiles(sandbox.home).stream().filter(p -> !p.getFileName().toString().equals("files.idx"))
        .findFirst().orElseThrow();
    byte[] base = Files.readAllBytes(index);

    for (int edit = 0; edit < 4; edit++) {
      long before = Files.size(index);
      switch (edit) {
        case 0 -> FixtureFiles.write(big.resolve(files.get(100)), "changed, same tree".getBytes(), FixtureFiles.PAST.plusSeconds(5));
        case 1 -> FixtureFiles.write(big.resolve("com/acme/p03/Added.class"), "added".getBytes(), FixtureFiles.PAST.plusSeconds(6));
        case 2 -> Files.delete(big.resolve(files.get(2000)));
        default -> FixtureFiles.write(big.resolve(files.get(1500)), new byte[5000], FixtureFiles.PAST.plusSeconds(7));
      }
      StartupReport report = sandbox.run(big);

      assertThat(Files.size(index) - before).as("edit %d: bytes appended to the index", edit).isPositive().isLessThan(8192);
      assertThat(java.util.Arrays.copyOf(Files.readAllBytes(index), base.length)).isEqualTo(base);
      Sandbox fresh = new Sandbox(tempDir.resolve("fresh" + edit), sandbox.project,
          tempDir.resolve("fresh" + edit + "/home"), tempDir.resolve("fresh" + edit + "/store"));
      assertThat(report.manifestDigest()).as("edit %d: the manifest a fresh home computes", edit)
          .isEqualTo(fresh.run(big).manifestDigest());
      assertThat(Sandbox.uploaded(report)).as("edit %d", edit).hasSizeLessThanOrEqualTo(2);
    }
  }

  @Test
  void unchangedFiles_areNeverOpened() {
    sandbox.run(first, second);
    RecordingOpener opener = new RecordingOpener();

    StartupReport report = runWith(sandbox.builder(first, second), opener);

    assertThat(opener.opened()).isEmpty();
    assertThat(report.bytesHashed()).isZero();
  }

  @Test
  void oneChangedFile_isTheOnlyFileHashed_andNoFileOfAnotherEntryIsOpened() {
    sandbox.run(first, second);
    Path changed = first.resolve(firstFiles.get(10));
    FixtureFiles.write(changed, "new content".getBytes(), FixtureFiles.PAST.plusSeconds(5));
    RecordingOpener opener = new RecordingOpener();

    StartupReport report = runWith(sandbox.builder(first, second), opener);

    assertThat(report.filesHashed()).isEqualTo(1);
    assertThat(opener.opened()).contains(changed).allSatisfy(p -> assertThat(p).startsWith(first));
  }

  @Test
  void touchedFileWithSameContent_isHashedOnce_thenTrustedAgain() {
    StartupReport cold = sandbox.run(first);
    Path touched = first.resolve(firstFiles.get(3));
    FixtureFiles.touch(touched, FixtureFiles.PAST.plusSeconds(99));

    RecordingOpener opener = new RecordingOpener();
    StartupReport next = runWith(sandbox.builder(first), opener);
    RecordingOpener after = new RecordingOpener();
    runWith(sandbox.builder(first), after);

    assertThat(opener.opened()).containsExactly(touched);
    assertThat(next.bytesPacked()).as("same content: no archive rebuilt").isZero();
    assertThat(next.manifestDigest()).isEqualTo(cold.manifestDigest());
    assertThat(after.opened()).isEmpty();
  }

  @Test
  void fileChangedWithinTheRacyWindow_isHashedAgainNextRun_thenTrusted() throws IOException {
    Path racy = FixtureFiles.write(first.resolve("com/acme/Racy.class"), "racy".getBytes(), FixtureFiles.PAST);
    // The run starts in the tick of the file's last write, as the kernel stamped it.
    Instant runStart = changeTime(racy).plusMillis(5);
    Instant racyFrom = runStart.minusMillis(20);
    MutableClock clock = MutableClock.at(runStart);
    Sandbox.run(sandbox.base(first).clock(clock));

    clock.advance(Duration.ofHours(1));
    RecordingOpener next = new RecordingOpener();
    runWith(sandbox.base(first).clock(clock), next);
    RecordingOpener later = new RecordingOpener();
    runWith(sandbox.base(first).clock(clock), later);

    // The fixture tree was written moments before, possibly in the same ticks: those files are racy too.
    assertThat(next.opened()).contains(racy).containsExactlyInAnyOrderElementsOf(changedSince(first, racyFrom));
    assertThat(later.opened()).isEmpty();
  }

  @Test
  void fileWrittenASecondBeforeTheRun_withAFineChangeTime_isTrustedByTheNextRun() throws IOException {
    // A build writes its output, then the session starts: not in the same tick, so nothing to re-hash
    // (the whole-second rule would re-hash every file written in the two seconds before a run).
    Path built = FixtureFiles.write(first.resolve("com/acme/Built.class"), "built".getBytes(), FixtureFiles.PAST);
    Instant changed = changeTime(built);
    Assumptions.assumeTrue(changed.getNano() != 0, "the file system keeps sub-second change times");
    Files.setLastModifiedTime(built, FileTime.from(changed));
    Instant runStart = changeTime(built).plusSeconds(1);
    MutableClock clock = MutableClock.at(runStart);
    Sandbox.run(sandbox.base(first).clock(clock));

    clock.advance(Duration.ofMinutes(1));
    RecordingOpener next = new RecordingOpener();
    runWith(sandbox.base(first).clock(clock), next);

    assertThat(next.opened()).isEmpty();
  }

  @Test
  void racyFileRewrittenWithSameSizeAndMtime_isStillDetected() throws IOException {
    Instant mtime = FixtureFiles.PAST;
    Path racy = FixtureFiles.write(first.resolve("com/acme/Racy.class"), "version-A".getBytes(), mtime);
    MutableClock clock = MutableClock.at(changeTime(racy).plusMillis(5));
    StartupReport before = Sandbox.run(sandbox.base(first).clock(clock));

    // Same size, same mtime: invisible to size and mtime. The change time and the racy rule catch it.
    FixtureFiles.write(racy, "version-B".getBytes(), mtime);
    clock.advance(Duration.ofMinutes(10));
    StartupReport after = Sandbox.run(sandbox.base(first).clock(clock));

    assertThat(after.manifestDigest()).isNotEqualTo(before.manifestDigest());
    assertThat(Sandbox.uploaded(after)).singleElement().satisfies(p -> assertThat(p.reason()).contains("com/acme/Racy.class"));
    assertThat(Archives.entry(sandbox.stored(Sandbox.uploaded(after).get(0)), "com/acme/Racy.class"))
        .isEqualTo("version-B".getBytes());
  }

  /** The files under {@code root} whose change time is after {@code instant}. */
  private static List<Path> changedSince(Path root, Instant instant) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      List<Path> changed = new java.util.ArrayList<>();
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        if (changeTime(f).isAfter(instant)) {
          changed.add(f);
        }
      }
      return changed;
    }
  }

  /** When the kernel last changed the file (its change time, which no tool can set). */
  private static Instant changeTime(Path file) throws IOException {
    return ((FileTime) Files.getAttribute(file, "unix:ctime")).toInstant();
  }

  /** Ways an index file gets damaged. */
  enum Damage {
    TRUNCATED_TO_HALF {
      @Override
      void apply(Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
          raf.setLength(raf.length() / 2);
        }
      }
    },
    ONE_BYTE_FLIPPED {
      @Override
      void apply(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        b[b.length / 3] ^= 0x01;
        Files.write(file, b);
      }
    },
    EMPTIED {
      @Override
      void apply(Path file) throws IOException {
        Files.write(file, new byte[0]);
      }
    },
    OVERWRITTEN_WITH_TEXT {
      @Override
      void apply(Path file) throws IOException {
        Files.writeString(file, "this is not an index, but it is long enough to look like one at first");
      }
    };

    abstract void apply(Path file) throws IOException;
  }

  @ParameterizedTest
  @EnumSource(Damage.class)
  void corruptIndex_isReportedInWarnings_andRebuiltWithCorrectResults(Damage damage) throws IOException {
    StartupReport original = sandbox.run(first);
    List<Path> indexes = indexFiles(sandbox.home);
    assertThat(indexes).hasSize(1);
    damage.apply(indexes.get(0));

    StartupReport rebuilt = sandbox.run(first);
    StartupReport after = sandbox.run(first);

    assertThat(rebuilt.warnings()).anySatisfy(w -> assertThat(w).contains("fingerprint index").contains(indexes.get(0).toString()).contains("corrupt"));
    assertThat(rebuilt.filesHashed()).as("nothing in a corrupt index is trusted").isEqualTo(60);
    assertThat(rebuilt.manifestDigest()).isEqualTo(original.manifestDigest());
    assertThat(after.warnings()).isEmpty();
    assertThat(after.bytesHashed()).as("the rebuilt index is trusted again").isZero();
    assertThat(after.manifestDigest()).isEqualTo(original.manifestDigest());
  }

  @Test
  void twoSessionsAtOnce_onOneHome_bothSucceed_andLeaveAUsableIndex() throws Exception {
    int sessions = 2;
    CyclicBarrier start = new CyclicBarrier(sessions);
    ExecutorService executor = Executors.newFixedThreadPool(sessions);
    List<Future<StartupReport>> runs;
    try {
      runs =
          executor.invokeAll(
              java.util.Collections.nCopies(
                  sessions,
                  () -> {
                    start.await(30, TimeUnit.SECONDS);
                    return sandbox.run(first, second);
                  }),
              60,
              TimeUnit.SECONDS);
    } finally {
      executor.shutdownNow();
    }
    String digest = runs.get(0).get().manifestDigest();
    assertThat(runs.get(1).get().manifestDigest()).isEqualTo(digest);

    StartupReport after = sandbox.run(first, second);

    assertThat(after.warnings()).isEmpty();
    assertThat(after.bytesHashed()).isZero();
    assertThat(after.bytesUploaded()).isZero();
    assertThat(after.manifestDigest()).isEqualTo(digest);
  }
}
