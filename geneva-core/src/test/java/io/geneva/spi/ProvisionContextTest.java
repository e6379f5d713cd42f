package io.geneva.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.testing.EqualsTester;
import com.google.common.testing.NullPointerTester;
import io.geneva.MutableClock;
import io.geneva.ProgressListener;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a provisioner knows of its session, as a value built by its builder. */
class ProvisionContextTest {
  private static final Path HOME = Path.of("/home/u/.geneva");
  private static final Clock CLOCK = MutableClock.at(Instant.EPOCH);
  private static final ProgressListener LISTENER = event -> {};

  private static ProvisionContext full() {
    return ProvisionContext.builder()
        .home(HOME)
        .jvmOptions(List.of("-Xmx1g"))
        .environment(Map.of("GENEVA_CACHE", "/cache"))
        .clock(CLOCK)
        .listener(LISTENER)
        .build();
  }

  @Test
  void builder_setsWhatItIsGiven() {
    ProvisionContext c = full();

    assertThat(c.home()).isEqualTo(HOME);
    assertThat(c.jvmOptions()).containsExactly("-Xmx1g");
    assertThat(c.environment()).containsExactly(Map.entry("GENEVA_CACHE", "/cache"));
    assertThat(c.clock()).isSameAs(CLOCK);
    assertThat(c.listener()).isSameAs(LISTENER);
  }

  @Test
  void builder_ofHomeAndClockOnly_hasNoOptionsNoEnvironmentAndTheSilentListener() {
    ProvisionContext c = ProvisionContext.builder().home(HOME).clock(CLOCK).build();

    assertThat(c.jvmOptions()).isEmpty();
    assertThat(c.environment()).isEmpty();
    assertThat(c.listener()).isSameAs(ProgressListener.NONE);
  }

  @Test
  void builder_withoutARequiredField_namesIt() {
    assertThatThrownBy(() -> ProvisionContext.builder().clock(CLOCK).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("a provision context needs its home; set it on the builder");
    assertThatThrownBy(() -> ProvisionContext.builder().home(HOME).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("a provision context needs its clock; set it on the builder");
  }

  @Test
  void context_isImmutable_copyingItsCollections() {
    List<String> options = new ArrayList<>(List.of("-Xmx1g"));
    Map<String, String> environment = new HashMap<>(Map.of("A", "1"));
    ProvisionContext.Builder builder = full().toBuilder().jvmOptions(options).environment(environment);
    ProvisionContext c = builder.build();

    options.add("-Xss1m");
    environment.put("B", "2");

    assertThat(c.jvmOptions()).containsExactly("-Xmx1g");
    assertThat(c.environment()).containsOnlyKeys("A");
    assertThat(builder.build()).as("a later build copies anew").isNotEqualTo(c);
    assertThatThrownBy(() -> c.jvmOptions().add("x")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> c.environment().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void collectionsHoldingNull_areRefused() {
    List<String> options = new ArrayList<>();
    options.add(null);
    Map<String, String> environment = new HashMap<>();
    environment.put("A", null);

    assertThatThrownBy(() -> full().toBuilder().jvmOptions(options).build()).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> full().toBuilder().environment(environment).build())
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void toString_namesTheEnvironmentVariablesButNotTheirValues() {
    ProvisionContext c = full().toBuilder().environment(Map.of("AWS_SECRET_ACCESS_KEY", "s3cr3t")).build();

    assertThat(c.toString()).contains("AWS_SECRET_ACCESS_KEY", "-Xmx1g", HOME.toString()).doesNotContain("s3cr3t");
  }

  @Test
  void rejectsNulls() {
    NullPointerTester tester = new NullPointerTester()
        .setDefault(Path.class, HOME)
        .setDefault(Clock.class, CLOCK)
        .setDefault(ProgressListener.class, LISTENER);
    tester.testAllPublicStaticMethods(ProvisionContext.class);
    tester.testAllPublicInstanceMethods(full());
    tester.testAllPublicInstanceMethods(ProvisionContext.builder());
  }

  @Test
  void toBuilder_derivesACopyThatDiffersOnlyWhereChanged() {
    ProvisionContext c = full();

    ProvisionContext changed = c.toBuilder().jvmOptions(List.of()).build();

    assertThat(c.toBuilder().build()).isEqualTo(c);
    assertThat(changed.jvmOptions()).isEmpty();
    assertThat(changed.toBuilder().jvmOptions(c.jvmOptions()).build()).isEqualTo(c);
  }

  @Test
  void equalsAndHashCode_compareEveryField() {
    ProvisionContext c = full();
    new EqualsTester()
        .addEqualityGroup(c, c.toBuilder().build(), full())
        .addEqualityGroup(c.toBuilder().home(Path.of("/other")).build())
        .addEqualityGroup(c.toBuilder().jvmOptions(List.of()).build())
        .addEqualityGroup(c.toBuilder().environment(Map.of()).build())
        .addEqualityGroup(c.toBuilder().clock(MutableClock.at(Instant.EPOCH)).build())
        .addEqualityGroup(c.toBuilder().listener(ProgressListener.NONE).build())
        .testEquals();
  }
}
