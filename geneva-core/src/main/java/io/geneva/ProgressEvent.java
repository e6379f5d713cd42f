package io.geneva;

import java.util.Objects;

/**
 * Something that happened while a session opened: a phase started, moved on, or finished.
 *
 * <p>Phases start in pipeline order. They may overlap: the first time a directory is packed, the
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
    MANIFEST
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
