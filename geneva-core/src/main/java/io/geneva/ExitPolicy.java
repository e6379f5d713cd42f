package io.geneva;

/** What happens to a session's cluster when the session closes. */
public enum ExitPolicy {
  /** The cluster is torn down: workers stop. */
  DELETE,
  /**
   * The cluster keeps running, so a later session with the same cluster spec reuses its warm
   * workers; local workers stop by themselves after their idle timeout.
   */
  RETAIN,
  /** Torn down if the session saw no failed job, retained (for a look) if it did. */
  RETAIN_ON_FAILURE
}
