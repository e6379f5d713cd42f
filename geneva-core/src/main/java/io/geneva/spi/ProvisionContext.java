package io.geneva.spi;

import io.geneva.ProgressListener;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a provisioner knows about the session that asks for a cluster. A cluster does not belong to
 * one manifest: a retained one serves every later session whose spec matches, so manifests reach it
 * with each warmup and job.
 *
 * <p>A value: immutable, thread-safe and compared by its fields (the clock and the listener by their
 * own {@code equals}). It is built with a {@link #builder()} (Geneva builds it for each session;
 * tests and tools may too), not a constructor, so a field added later breaks no provisioner and no
 * caller. {@code home} and {@code clock} must be set; a context whose builder leaves the others unset
 * has no extra JVM options, no extra environment and the {@linkplain ProgressListener#NONE listener
 * that ignores every event}.
 */
public final class ProvisionContext {
  private final Path home;
  private final List<String> jvmOptions;
  private final Map<String, String> environment;
  private final Clock clock;
  private final ProgressListener listener;

  private ProvisionContext(Builder b) {
    this.home = required(b.home, "home");
    this.jvmOptions = List.copyOf(b.jvmOptions);
    this.environment = Map.copyOf(b.environment);
    this.clock = required(b.clock, "clock");
    this.listener = b.listener;
  }

  private static <T> T required(@Nullable T value, String field) {
    if (value == null) {
      throw new IllegalStateException("a provision context needs its " + field + "; set it on the builder");
    }
    return value;
  }

  /**
   * A builder with no JVM options, no environment and {@link ProgressListener#NONE}; {@code home} and
   * {@code clock} must be set.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this context's fields, to derive a changed copy. */
  public Builder toBuilder() {
    return new Builder()
        .home(home)
        .jvmOptions(jvmOptions)
        .environment(environment)
        .clock(clock)
        .listener(listener);
  }

  /** The Geneva home of the session. */
  public Path home() {
    return home;
  }

  /** The session's extra JVM options for workers (after the spec's own), in order; unmodifiable. */
  public List<String> jvmOptions() {
    return jvmOptions;
  }

  /** The session's extra environment variables for workers; unmodifiable. */
  public Map<String, String> environment() {
    return environment;
  }

  /** The session's clock. */
  public Clock clock() {
    return clock;
  }

  /** The session's progress listener. */
  public ProgressListener listener() {
    return listener;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ProvisionContext c
        && home.equals(c.home)
        && jvmOptions.equals(c.jvmOptions)
        && environment.equals(c.environment)
        && clock.equals(c.clock)
        && listener.equals(c.listener);
  }

  @Override
  public int hashCode() {
    return Objects.hash(home, jvmOptions, environment, clock, listener);
  }

  /**
   * The context for logs and debuggers: every field, but only the names of the environment variables,
   * whose values may be credentials.
   */
  @Override
  public String toString() {
    return "ProvisionContext[home=" + home + ", jvmOptions=" + jvmOptions
        + ", environment=" + environment.keySet().stream().sorted().toList() + ", clock=" + clock
        + ", listener=" + listener + "]";
  }

  /**
   * Builds a {@link ProvisionContext}. Each setter replaces what an earlier call set (so {@link
   * #toBuilder()} can derive a copy); collections are copied by {@link #build()}. Mutable and not
   * thread-safe; {@code build()} leaves it unchanged and may be called again.
   */
  public static final class Builder {
    private @Nullable Path home;
    private List<String> jvmOptions = List.of();
    private Map<String, String> environment = Map.of();
    private @Nullable Clock clock;
    private ProgressListener listener = ProgressListener.NONE;

    private Builder() {}

    /** Sets {@link ProvisionContext#home()} (required). */
    public Builder home(Path home) {
      this.home = Objects.requireNonNull(home, "home");
      return this;
    }

    /** Sets {@link ProvisionContext#jvmOptions()} (none if not set). */
    public Builder jvmOptions(List<String> jvmOptions) {
      this.jvmOptions = Objects.requireNonNull(jvmOptions, "jvmOptions");
      return this;
    }

    /** Sets {@link ProvisionContext#environment()} (none if not set). */
    public Builder environment(Map<String, String> environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /** Sets {@link ProvisionContext#clock()} (required). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Sets {@link ProvisionContext#listener()} ({@link ProgressListener#NONE} if not set). */
    public Builder listener(ProgressListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * The context, holding copies of the collections.
     *
     * @throws IllegalStateException naming the field, if {@code home} or {@code clock} was not set
     * @throws NullPointerException if a collection holds null
     */
    public ProvisionContext build() {
      return new ProvisionContext(this);
    }
  }
}
