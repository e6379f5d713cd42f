package io.geneva;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one worker did to get ready for a manifest.
 *
 * <p>A value: immutable, thread-safe and compared by its fields. It is built with a {@link
 * #builder(String)} (Geneva builds it; tests and tools may too), not a constructor, so a field added
 * later breaks no caller: a field a builder does not set is zero, false or empty.
 */
public final class WorkerReport {
  private final String worker;
  private final long pid;
  private final int packagesFetched;
  private final int packagesFromCache;
  private final long bytesFetched;
  private final long bootstrapMillis;
  private final boolean alreadyReady;
  private final String replaced;
  private final String classData;

  private WorkerReport(Builder b) {
    this.worker = b.worker;
    this.pid = b.pid;
    this.packagesFetched = b.packagesFetched;
    this.packagesFromCache = b.packagesFromCache;
    this.bytesFetched = b.bytesFetched;
    this.bootstrapMillis = b.bootstrapMillis;
    this.alreadyReady = b.alreadyReady;
    this.replaced = b.replaced;
    this.classData = b.classData;
  }

  /**
   * A builder for the report of this worker, with a pid of -1, every count zero, not already ready, and
   * replacing none.
   *
   * @param worker the worker's name, for example {@code local-2}
   */
  public static Builder builder(String worker) {
    return new Builder(worker);
  }

  /** A builder holding this report's fields, to derive a changed copy. */
  public Builder toBuilder() {
    return new Builder(worker)
        .pid(pid)
        .packagesFetched(packagesFetched)
        .packagesFromCache(packagesFromCache)
        .bytesFetched(bytesFetched)
        .bootstrapMillis(bootstrapMillis)
        .alreadyReady(alreadyReady)
        .replaced(replaced)
        .classData(classData);
  }

  /** The worker's name, for example {@code local-2}. */
  public String worker() {
    return worker;
  }

  /** Its process id, or -1 where there is no process of its own (or it is not known). */
  public long pid() {
    return pid;
  }

  /** Packages it downloaded from storage into the node cache (-1 if not known). */
  public int packagesFetched() {
    return packagesFetched;
  }

  /** Packages it found already in the node cache (-1 if not known). */
  public int packagesFromCache() {
    return packagesFromCache;
  }

  /** Bytes it downloaded (-1 if not known). */
  public long bytesFetched() {
    return bytesFetched;
  }

  /** How long its bootstrap took (0 if it was already bootstrapped). */
  public long bootstrapMillis() {
    return bootstrapMillis;
  }

  /** Whether it had bootstrapped this manifest before (a warm, reused worker). */
  public boolean alreadyReady() {
    return alreadyReady;
  }

  /**
   * The worker this one replaced because it was lost during the warmup, with what was seen (for example
   * {@code local-1 (pid 4242) is gone: its connection closed; its process has exited}), or empty.
   */
  public String replaced() {
    return replaced;
  }

  /**
   * What the worker JVM did about a class-data cache ({@link WarmStart}), for example {@code using
   * class data 3f2a9c81d0e4 (AOT cache, JDK 25.0.1+8-LTS Eclipse Adoptium, Linux amd64)}, {@code
   * training class data for ...} or {@code skipped class data: ...}; empty for a worker without warm
   * start.
   */
  public String classData() {
    return classData;
  }

  /** This report, saying it replaced a worker lost during the warmup. */
  public WorkerReport replacing(String lostWorker) {
    return toBuilder().replaced(lostWorker).build();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof WorkerReport r
        && worker.equals(r.worker)
        && pid == r.pid
        && packagesFetched == r.packagesFetched
        && packagesFromCache == r.packagesFromCache
        && bytesFetched == r.bytesFetched
        && bootstrapMillis == r.bootstrapMillis
        && alreadyReady == r.alreadyReady
        && replaced.equals(r.replaced)
        && classData.equals(r.classData);
  }

  @Override
  public int hashCode() {
    return Objects.hash(worker, pid, packagesFetched, packagesFromCache, bytesFetched, bootstrapMillis,
        alreadyReady, replaced, classData);
  }

  @Override
  public String toString() {
    return "WorkerReport[worker=" + worker + ", pid=" + pid + ", packagesFetched=" + packagesFetched
        + ", packagesFromCache=" + packagesFromCache + ", bytesFetched=" + bytesFetched
        + ", bootstrapMillis=" + bootstrapMillis + ", alreadyReady=" + alreadyReady
        + ", replaced=" + replaced + (classData.isEmpty() ? "" : ", classData=" + classData) + "]";
  }

  /**
   * Builds a {@link WorkerReport}. Each setter replaces what an earlier call set (so {@link
   * #toBuilder()} can derive a copy). Mutable and not thread-safe; {@link #build()} leaves it
   * unchanged and may be called again.
   */
  public static final class Builder {
    private final String worker;
    private long pid = -1;
    private int packagesFetched;
    private int packagesFromCache;
    private long bytesFetched;
    private long bootstrapMillis;
    private boolean alreadyReady;
    private String replaced = "";
    private String classData = "";

    private Builder(String worker) {
      this.worker = Objects.requireNonNull(worker, "worker");
    }

    /** Sets {@link WorkerReport#pid()}. */
    public Builder pid(long pid) {
      this.pid = pid;
      return this;
    }

    /** Sets {@link WorkerReport#packagesFetched()}. */
    public Builder packagesFetched(int count) {
      this.packagesFetched = count;
      return this;
    }

    /** Sets {@link WorkerReport#packagesFromCache()}. */
    public Builder packagesFromCache(int count) {
      this.packagesFromCache = count;
      return this;
    }

    /** Sets {@link WorkerReport#bytesFetched()}. */
    public Builder bytesFetched(long bytes) {
      this.bytesFetched = bytes;
      return this;
    }

    /** Sets {@link WorkerReport#bootstrapMillis()}. */
    public Builder bootstrapMillis(long millis) {
      this.bootstrapMillis = millis;
      return this;
    }

    /** Sets {@link WorkerReport#alreadyReady()}. */
    public Builder alreadyReady(boolean ready) {
      this.alreadyReady = ready;
      return this;
    }

    /** Sets {@link WorkerReport#replaced()}: the lost worker this one replaced, or empty. */
    public Builder replaced(String lostWorker) {
      this.replaced = Objects.requireNonNull(lostWorker, "lostWorker");
      return this;
    }

    /** Sets {@link WorkerReport#classData()}: what the worker did about a class-data cache, or empty. */
    public Builder classData(String line) {
      this.classData = Objects.requireNonNull(line, "line");
      return this;
    }

    /** The report. */
    public WorkerReport build() {
      return new WorkerReport(this);
    }
  }
}
