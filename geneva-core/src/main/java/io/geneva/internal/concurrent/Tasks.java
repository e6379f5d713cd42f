package io.geneva.internal.concurrent;

import io.geneva.GenevaException;
import java.util.Collection;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting for the pipeline's parallel work. */
public final class Tasks {
  private Tasks() {}

  /**
   * Waits for every future. The first failure cancels the rest and is rethrown as it was thrown (a
   * {@link RuntimeException} or {@link Error}), or wrapped in a {@link GenevaException} naming {@code
   * what} if it was checked.
   */
  public static void awaitAll(Collection<? extends Future<?>> futures, String what) {
    try {
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (InterruptedException e) {
      futures.forEach(f -> f.cancel(true));
      Thread.currentThread().interrupt();
      throw new GenevaException("interrupted while " + what, e);
    } catch (ExecutionException e) {
      futures.forEach(f -> f.cancel(true));
      Throwable cause = e.getCause();
      if (cause != null
          && cause.getClass() == RuntimeException.class
          && cause.getCause() instanceof Exception
          && !(cause.getCause() instanceof RuntimeException)) {
        cause = cause.getCause(); // a ForkJoinPool's wrapping of a checked exception
      }
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      if (cause instanceof Error) {
        throw (Error) cause;
      }
      throw new GenevaException(what + " failed: " + cause, cause);
    }
  }

  /** The value of a future that is known to be complete. */
  public static <T> T done(Future<T> future) {
    try {
      return future.get();
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException("the future was awaited already", e);
    }
  }
}
