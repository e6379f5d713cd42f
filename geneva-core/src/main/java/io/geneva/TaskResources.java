package io.geneva;

/**
 * What one task of a job needs of the worker that runs it. On a KubeRay cluster each Geneva worker
 * actor asks Ray for exactly this, so Ray places it on a node of a worker group that has it, and
 * Ray's autoscaler adds such nodes while actors wait; a job no worker group can host fails before it
 * starts. A local cluster runs one task per worker process at a time and has no GPUs.
 *
 * @param cpus CPUs per task, positive (default 1)
 * @param gpus GPUs per task, zero or more (default 0)
 * @param memoryBytes memory per task in bytes, or 0 to ask for none beyond the CPUs (default 0)
 */
public record TaskResources(double cpus, int gpus, long memoryBytes) {
  /** One CPU, no GPU, no memory request. */
  public static final TaskResources DEFAULT = new TaskResources(1, 0, 0);

  /**
   * Checks the components.
   *
   * @throws IllegalArgumentException naming the value that is out of range
   */
  public TaskResources {
    if (!(cpus > 0) || Double.isInfinite(cpus)) {
      throw new IllegalArgumentException("a task needs a positive, finite number of CPUs, not " + cpus);
    }
    if (gpus < 0) {
      throw new IllegalArgumentException("a task's GPUs cannot be negative: " + gpus);
    }
    if (memoryBytes < 0) {
      throw new IllegalArgumentException("a task's memory cannot be negative: " + memoryBytes + " bytes");
    }
  }

  /** A short description, like {@code 2 CPUs, 1 GPU, 4 GiB}. */
  public String describe() {
    StringBuilder s = new StringBuilder();
    s.append(cpus == Math.rint(cpus) ? Long.toString((long) cpus) : Double.toString(cpus))
        .append(cpus == 1 ? " CPU" : " CPUs");
    if (gpus > 0) {
      s.append(", ").append(gpus).append(gpus == 1 ? " GPU" : " GPUs");
    }
    if (memoryBytes > 0) {
      s.append(", ").append(memoryBytes % (1L << 30) == 0 ? (memoryBytes >> 30) + " GiB"
          : memoryBytes % (1L << 20) == 0 ? (memoryBytes >> 20) + " MiB" : memoryBytes + " bytes");
    }
    return s.toString();
  }
}
