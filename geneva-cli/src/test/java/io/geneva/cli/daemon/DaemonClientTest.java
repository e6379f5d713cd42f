package io.geneva.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DaemonClientTest {
  @Test
  void commandsTheDaemonRuns_andThoseItLeavesToAFreshJvm() {
    assertThat(DaemonClient.routed(new String[] {"package", "--classpath", "x"})).isTrue();
    assertThat(DaemonClient.routed(new String[] {"--version"})).isTrue();
    assertThat(DaemonClient.routed(new String[] {"inspect", "m.json", "--", "--verbose"})).isTrue();
    assertThat(DaemonClient.routed(new String[] {"bench", "--runs", "3"})).isFalse();
    assertThat(DaemonClient.routed(new String[] {"package", "--verbose"})).isFalse();
    assertThat(DaemonClient.routed(new String[] {"--no-daemon", "package"})).isFalse();
    assertThat(DaemonClient.routed(new String[] {"--plugin-path", "p.jar", "package"})).isFalse();
    assertThat(DaemonClient.routed(new String[] {"package", "--plugin-path=p.jar"})).isFalse();
  }

  @Test
  void idleTime_isAWholeNumberOfSecondsMinutesOrHours() {
    assertThat(DaemonClient.idleSeconds(null)).isEqualTo(1800);
    assertThat(DaemonClient.idleSeconds("90s")).isEqualTo(90);
    assertThat(DaemonClient.idleSeconds("30m")).isEqualTo(1800);
    assertThat(DaemonClient.idleSeconds("2h")).isEqualTo(7200);
    for (String bad : new String[] {"xyz", "30", "m", "0m", "-5m", "1.5h", "9999999999h"}) {
      assertThatThrownBy(() -> DaemonClient.idleSeconds(bad))
          .as(bad)
          .hasMessage("geneva: GENEVA_DAEMON_IDLE is '" + bad
              + "'; set it to how long an idle daemon stays, such as 90s, 30m or 2h");
    }
  }
}
