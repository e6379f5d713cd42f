package io.geneva;

import java.util.Objects;

/**
 * Something that happened while a session opened: a phase started, moved on, or finished.
 *
 * <p>The startup phases ({@code SCAN} to {@code MANIFEST}) start in pipeline order while the session
 * opens; {@code PROVISION}, {@code WARMUP} and {@code JOB} follow when the session uses its cluster. They may overlap: the first time a directory is packed, the
 * {@link Phase#PACK} phase starts while {@link Phase#FINGERPRINT} is still hashing jars.
 *
 * @param phase the pipeline phase
 * @param type started, progress or finished
 * @param done units done so far in this phase (files, packages or bytes, see {@link #unit})
 * @param total units in this phase, or {@code -1} if not known yet
 * @param unit what {@code done} and {@code total} count, for example {@code "files"} or {@code "bytes"}
 */
public record ProgressEvent(Phase phase, Type type, long done, long total, String unit) {

  /** The startup pipeline's phases, in order. */
  public enum Phase {
    /** Resolving and walking the classpath. */
    SCAN,
    /** Finding each file's SHA-256, from the index or by reading it. */
    FINGERPRINT,
    /** Building deterministic archives of directories. */
    PACK,
    /** Checking what storage already has and uploading the rest. */
    PUBLISH,
    /** Writing the manifest. */
    MANIFEST,
    /** Starting or reusing the cluster's workers ({@code total} workers). */
    PROVISION,
    /** Workers fetching the manifest's packages ({@code done} workers ready of {@code total}). */
    WARMUP,
    /** A job running: {@code done} partitions finished of {@code total}, one event per partition. */
    JOB
  }

  /** What kind of event this is. */
  public enum Type {
    /** The phase began; {@code total} may already be known. */
    STARTED,
    /** Work was done. */
    PROGRESS,
    /** The phase ended. */
    FINISHED
  }

  /** Checks the components. */
  public ProgressEvent {
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(unit, "unit");
  }
}
