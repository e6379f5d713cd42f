package io.geneva.internal.worker;

import io.geneva.Task;
import io.geneva.TaskContext;
import io.geneva.internal.job.TaskSetupException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.Map;

/**
 * Loads a task class from a manifest's class loader, runs one partition of it, and serializes the
 * result. Problems of the class itself are {@link TaskSetupException}s; whatever the task throws
 * comes out as {@link TaskThrew}.
 */
public final class TaskExecution {
  private TaskExecution() {}

  /** The task itself threw: its exception, to be reported to the session. */
  public static final class TaskThrew extends Exception {
    private static final long serialVersionUID = 1L;

    TaskThrew(Throwable cause) {
      super(cause);
    }
  }

  /** One partition to run. */
  public record Context(
      int partition, int partitions, int attempt, String jobId, String worker, Map<String, String> parameters)
      implements TaskContext {
    /** Copies the parameters. */
    public Context {
      parameters = Map.copyOf(parameters);
    }
  }

  /**
   * Runs the task over one partition and returns its result in Java serialization.
   *
   * @throws TaskSetupException if the class cannot be a task, or its result cannot be sent
   * @throws TaskThrew if the task threw
   */
  public static byte[] run(Bootstrapper.Prepared prepared, String taskClass, Context context) throws TaskThrew {
    Task<?> task = instantiate(prepared, taskClass);
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(prepared.loader());
    Object result;
    try {
      result = task.run(context);
    } catch (Throwable t) {
      if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) {
        throw (VirtualMachineError) t;
      }
      throw new TaskThrew(t);
    } finally {
      thread.setContextClassLoader(previous);
    }
    return serialize(taskClass, result);
  }

  private static Task<?> instantiate(Bootstrapper.Prepared prepared, String taskClass) {
    Class<?> cls;
    try {
      cls = Class.forName(taskClass, false, prepared.loader());
    } catch (ClassNotFoundException e) {
      throw new TaskSetupException("task class " + taskClass + " is not in the shipped classpath (manifest "
          + prepared.manifestUri() + ", " + prepared.manifest().classpath().size() + " packages); add the jar"
          + " or directory that holds it to the session's classpath");
    } catch (LinkageError e) {
      throw new TaskSetupException("task class " + taskClass + " from manifest " + prepared.manifestUri()
          + " cannot be loaded: " + e + "; a class it needs is missing from the classpath");
    }
    if (!Task.class.isAssignableFrom(cls)) {
      throw new TaskSetupException("class " + taskClass + " (manifest " + prepared.manifestUri()
          + ") does not implement io.geneva.Task; a job's class must implement io.geneva.Task<R>");
    }
    if (Modifier.isAbstract(cls.getModifiers()) || cls.isInterface()) {
      throw new TaskSetupException("task class " + taskClass + " is abstract; a job needs a concrete class");
    }
    try {
      Constructor<?> constructor = cls.getConstructor();
      return (Task<?>) constructor.newInstance();
    } catch (NoSuchMethodException e) {
      throw new TaskSetupException("task class " + taskClass + " has no public no-argument constructor;"
          + " add one (a nested task class must also be static and public)");
    } catch (IllegalAccessException e) {
      throw new TaskSetupException("task class " + taskClass + " is not public; make it public");
    } catch (InvocationTargetException | InstantiationException | LinkageError e) {
      Throwable cause = e instanceof InvocationTargetException ? e.getCause() : e;
      throw new TaskSetupException("task class " + taskClass + " could not be created: " + cause);
    }
  }

  private static byte[] serialize(String taskClass, Object result) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(result);
    } catch (NotSerializableException e) {
      throw new TaskSetupException("task " + taskClass + " returned a " + result.getClass().getName()
          + " holding a " + e.getMessage() + ", which is not java.io.Serializable; return a serializable"
          + " value (a record implementing Serializable, a String, a List...)");
    } catch (IOException e) {
      throw new TaskSetupException("task " + taskClass + "'s result could not be serialized: " + e);
    }
    if (bytes.size() > Protocol.MAX_FRAME - 1024) {
      throw new TaskSetupException("task " + taskClass + "'s result is " + bytes.size() + " bytes, more than "
          + (Protocol.MAX_FRAME >> 20) + " MiB; write large outputs to storage and return where they are");
    }
    return bytes.toByteArray();
  }
}
