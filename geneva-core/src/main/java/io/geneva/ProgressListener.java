package io.geneva;

/**
 * Receives {@link ProgressEvent}s as a session opens: a console progress bar is one listener, a
 * notebook widget another.
 *
 * <p>Events of one phase may arrive from several pipeline threads at once, so implementations must
 * be thread-safe and quick; a listener that throws fails the session.
 */
@FunctionalInterface
public interface ProgressListener {

  /** A listener that ignores every event. */
  ProgressListener NONE = event -> {};

  /** Called for every event. */
  void onEvent(ProgressEvent event);
}
