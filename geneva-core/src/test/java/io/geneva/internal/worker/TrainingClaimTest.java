package io.geneva.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.geneva.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingClaimTest {
  @TempDir Path dir;

  private final MutableClock clock = MutableClock.at(Instant.parse("2026-12-06T03:00:00Z"));
  /** The pids the test says are alive, whatever their start time. */
  private final Set<Long> alive = new HashSet<>();
  private final TrainingClaim claims = new TrainingClaim(clock, (pid, started) -> alive.contains(pid));

  @Test
  void firstClaim_isGranted_andASecondOneRefused() throws IOException {
    Path claim = dir.resolve("training.claim");

    assertThat(claims.claim(claim)).isEmpty();
    assertThat(claims.claim(claim)).hasValueSatisfying(h -> assertThat(h).contains("starting since"));
  }

  @Test
  void unownedClaim_expires_soATrainerThatNeverStartedDoesNotBlockTraining() throws IOException {
    Path claim = dir.resolve("training.claim");
    claims.claim(claim);

    clock.advance(TrainingClaim.UNOWNED_EXPIRY.minusSeconds(1));
    assertThat(claims.claim(claim)).isPresent();
    clock.advance(Duration.ofSeconds(2));
    assertThat(claims.claim(claim)).isEmpty();
    assertThat(claims.claim(claim)).isPresent();
  }

  @Test
  void claimOfALiveTrainer_holds_evenPastTheUnownedExpiry() throws IOException {
    Path claim = dir.resolve("training.claim");
    claims.claim(claim);
    TrainingClaim.own(claim, 4242, 1_000);
    alive.add(4242L);

    clock.advance(Duration.ofDays(2));

    assertThat(claims.claim(claim)).hasValue("worker process 4242");
  }

  @Test
  void claimOfATrainerThatDied_isTakenOver_atOnce() throws IOException {
    Path claim = dir.resolve("training.claim");
    claims.claim(claim);
    TrainingClaim.own(claim, 4242, 1_000);
    alive.add(4242L);
    assertThat(claims.claim(claim)).isPresent();

    alive.remove(4242L); // crashed: no output, and nobody will ever clear its claim

    assertThat(claims.claim(claim)).isEmpty();
    assertThat(StateFile.read(claim).getProperty("pid")).isNull();
  }

  @Test
  void emptyOrGarbledClaim_asOlderVersionsLeftIt_isStale() throws IOException {
    Path claim = Files.createFile(dir.resolve("training.claim"));

    assertThat(claims.claim(claim)).isEmpty();

    Files.writeString(claim, "claimed=yesterday\n");
    assertThat(claims.claim(claim)).isEmpty();
  }

  @Test
  void owningAClaimThatWasClearedMeanwhile_doesNotRecreateIt() throws IOException {
    Path claim = dir.resolve("training.claim");

    TrainingClaim.own(claim, 4242, 1_000);

    assertThat(claim).doesNotExist();
  }

  @Test
  void systemProcesses_knowThisProcessAndNotADeadOne() {
    long pid = ProcessHandle.current().pid();
    long started = WorkerServer.processStart(ProcessHandle.current());

    assertThat(TrainingClaim.Processes.SYSTEM.alive(pid, started)).isTrue();
    // Same pid, another start: a reused pid is not the owner.
    assertThat(TrainingClaim.Processes.SYSTEM.alive(pid, started == 0 ? 0 : started - 60_000))
        .isEqualTo(started == 0);
    assertThat(TrainingClaim.Processes.SYSTEM.alive(Long.MAX_VALUE - 1, 0)).isFalse();
  }
}
