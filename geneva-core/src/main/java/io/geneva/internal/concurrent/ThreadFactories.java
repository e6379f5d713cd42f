package io.geneva.internal.concurrent;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Geneva's threads: all daemons, so an embedding program exits when its own threads end, and all named
 * {@code geneva-...}, so a thread dump says whose they are.
 */
public final class ThreadFactories {
  private ThreadFactories() {}

  /** Daemon threads named {@code name-1}, {@code name-2}, ... */
  public static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> newDaemon(r, name + "-" + n.incrementAndGet());
  }

  /** Daemon threads of a fork-join pool, named {@code name-1}, {@code name-2}, ... */
  public static ForkJoinPool.ForkJoinWorkerThreadFactory forkJoinDaemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return pool -> {
      ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
      t.setName(name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Starts {@code work} on a new daemon thread of this name. */
  public static Thread startDaemon(String name, Runnable work) {
    Thread t = newDaemon(work, name);
    t.start();
    return t;
  }

  private static Thread newDaemon(Runnable work, String name) {
    Thread t = new Thread(work, name);
    t.setDaemon(true);
    return t;
  }
}
