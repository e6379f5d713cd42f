package io.geneva.k8s.internal.ray;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the coordinator and its actors pass each other: byte arrays of a few strings and numbers,
 * which Ray carries as they are, so neither side depends on how Ray serializes Java objects, and no
 * class of a task (or of its exceptions) has to exist where it is read.
 */
final class Wire {
  private Wire() {}

  /** One attempt at one partition, as an actor receives it. */
  record Call(String manifestUri, String taskClass, int partition, int partitions, int attempt, String jobId,
      Map<String, String> parameters) {
    byte[] encode() {
      return write(out -> {
        out.writeUTF(manifestUri);
        out.writeUTF(taskClass);
        out.writeInt(partition);
        out.writeInt(partitions);
        out.writeInt(attempt);
        out.writeUTF(jobId);
        out.writeInt(parameters.size());
        for (Map.Entry<String, String> e : parameters.entrySet()) {
          out.writeUTF(e.getKey());
          out.writeUTF(e.getValue());
        }
      });
    }

    static Call decode(byte[] bytes) {
      return read(bytes, in -> {
        String manifest = in.readUTF();
        String task = in.readUTF();
        int partition = in.readInt();
        int partitions = in.readInt();
        int attempt = in.readInt();
        String job = in.readUTF();
        int n = in.readInt();
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
          parameters.put(in.readUTF(), in.readUTF());
        }
        return new Call(manifest, task, partition, partitions, attempt, job, parameters);
      });
    }
  }

  /** How an attempt ended on an actor. */
  enum Kind {
    /** The task returned; {@code value} is its result in Java serialization. */
    RESULT,
    /** The task threw: retry it. */
    TASK_FAILED,
    /** The task cannot run anywhere (class missing, not a task, result not serializable). */
    SETUP_FAILED,
    /** Something else failed on the actor (storage, the node cache): retry it elsewhere. */
    FAILED
  }

  /** An attempt's outcome, as an actor returns it. */
  record Outcome(Kind kind, byte[] value, String exceptionClass, String message, StackTraceElement[] stack) {
    static Outcome result(byte[] value) {
      return new Outcome(Kind.RESULT, value, "", "", new StackTraceElement[0]);
    }

    static Outcome failure(Kind kind, String exceptionClass, String message, StackTraceElement[] stack) {
      return new Outcome(kind, new byte[0], exceptionClass, message, stack);
    }

    byte[] encode() {
      return write(out -> {
        out.writeByte(kind.ordinal());
        out.writeInt(value.length);
        out.write(value);
        out.writeUTF(exceptionClass);
        writeLong(out, message);
        out.writeInt(stack.length);
        for (StackTraceElement e : stack) {
          out.writeUTF(e.getClassName());
          out.writeUTF(e.getMethodName());
          out.writeUTF(e.getFileName() == null ? "" : e.getFileName());
          out.writeInt(e.getLineNumber());
        }
      });
    }

    static Outcome decode(byte[] bytes) {
      return read(bytes, in -> {
        Kind kind = Kind.values()[in.readByte()];
        byte[] value = new byte[in.readInt()];
        in.readFully(value);
        String cls = in.readUTF();
        String message = readLong(in);
        StackTraceElement[] stack = new StackTraceElement[in.readInt()];
        for (int i = 0; i < stack.length; i++) {
          String c = in.readUTF();
          String m = in.readUTF();
          String f = in.readUTF();
          stack[i] = new StackTraceElement(c, m, f.isEmpty() ? null : f, in.readInt());
        }
        return new Outcome(kind, value, cls, message, stack);
      });
    }
  }

  /** A worker's bootstrap, as an actor reports it. */
  record Bootstrapped(String node, long pid, int fetched, int fromCache, long bytes, long millis, boolean already) {
    byte[] encode() {
      return write(out -> {
        out.writeUTF(node);
        out.writeLong(pid);
        out.writeInt(fetched);
        out.writeInt(fromCache);
        out.writeLong(bytes);
        out.writeLong(millis);
        out.writeBoolean(already);
      });
    }

    static Bootstrapped decode(byte[] bytes) {
      return read(bytes, in -> new Bootstrapped(in.readUTF(), in.readLong(), in.readInt(), in.readInt(),
          in.readLong(), in.readLong(), in.readBoolean()));
    }
  }

  /** writeUTF is limited to 64 KiB; messages are not. */
  private static void writeLong(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readLong(DataInputStream in) throws IOException {
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return new String(b, java.nio.charset.StandardCharsets.UTF_8);
  }

  private interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  private interface Reader<T> {
    T read(DataInputStream in) throws IOException;
  }

  private static byte[] write(Writer w) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      w.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static <T> T read(byte[] bytes, Reader<T> r) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      return r.read(in);
    } catch (IOException e) {
      throw new UncheckedIOException("a malformed message between Geneva's coordinator and its actors", e);
    }
  }
}
