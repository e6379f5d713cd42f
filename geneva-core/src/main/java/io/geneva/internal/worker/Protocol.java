package io.geneva.internal.worker;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The wire protocol between a session and a local worker over a loopback socket: length-prefixed
 * frames of a message type, a request id and a payload. The first frame on a connection is {@link
 * #HELLO} with the cluster's secret token; a worker closes a connection that does not present it.
 *
 * <p>Requests ({@code HELLO, PING, BOOTSTRAP, RUN, CANCEL, SHUTDOWN}) go to the worker; every
 * request but {@code CANCEL} and {@code SHUTDOWN} gets exactly one reply with its request id. Replies
 * to different requests may come in any order.
 */
public final class Protocol {
  /** Bumped on any change to the frames. */
  public static final int VERSION = 2;

  /** The largest frame accepted: a result bigger than this is refused with a clear error. */
  public static final int MAX_FRAME = 256 << 20;

  public static final byte HELLO = 1;
  public static final byte PING = 2;
  public static final byte BOOTSTRAP = 3;
  public static final byte RUN = 4;
  public static final byte CANCEL = 5;
  public static final byte SHUTDOWN = 6;

  public static final byte HELLO_OK = 20;
  public static final byte PONG = 21;
  public static final byte BOOTSTRAPPED = 22;
  public static final byte RESULT = 23;
  /** The task threw: class, message, frames. Retryable. */
  public static final byte TASK_FAILED = 24;
  /** A failure no retry fixes (class missing, not a task, bad manifest): message. */
  public static final byte SETUP_FAILED = 25;
  /** A failure that may pass (storage unreachable): message. */
  public static final byte FAILED = 26;

  private Protocol() {}

  /** A frame as read. */
  public record Frame(byte type, long requestId, DataInputStream payload) {}

  /** Builds a frame's payload. */
  public static final class Writer {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final DataOutputStream out = new DataOutputStream(bytes);

    public Writer string(String s) throws IOException {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      out.writeInt(b.length);
      out.write(b);
      return this;
    }

    public Writer bytes(byte[] b) throws IOException {
      out.writeInt(b.length);
      out.write(b);
      return this;
    }

    public Writer integer(int v) throws IOException {
      out.writeInt(v);
      return this;
    }

    public Writer number(long v) throws IOException {
      out.writeLong(v);
      return this;
    }

    public Writer bool(boolean v) throws IOException {
      out.writeBoolean(v);
      return this;
    }

    public Writer map(Map<String, String> m) throws IOException {
      out.writeInt(m.size());
      for (Map.Entry<String, String> e : m.entrySet()) {
        string(e.getKey());
        string(e.getValue());
      }
      return this;
    }

    public Writer stack(StackTraceElement[] frames) throws IOException {
      out.writeInt(frames.length);
      for (StackTraceElement f : frames) {
        string(f.getClassName());
        string(f.getMethodName());
        string(f.getFileName() == null ? "" : f.getFileName());
        out.writeInt(f.getLineNumber());
      }
      return this;
    }

    /** Sends the frame; callers serialize writes to one stream. */
    public void send(OutputStream stream, byte type, long requestId) throws IOException {
      out.flush();
      DataOutputStream s = new DataOutputStream(stream);
      s.writeInt(1 + 8 + bytes.size());
      s.writeByte(type);
      s.writeLong(requestId);
      bytes.writeTo(s);
      s.flush();
    }
  }

  /** The largest first frame: a worker reads no more from a connection that has not shown the token. */
  public static final int MAX_HELLO = 4096;

  /** Reads the next frame, or throws {@link EOFException} at the end of the stream. */
  public static Frame read(InputStream stream) throws IOException {
    return read(stream, MAX_FRAME);
  }

  /** Reads the next frame of at most {@code maxLength} bytes. */
  public static Frame read(InputStream stream, int maxLength) throws IOException {
    DataInputStream in = new DataInputStream(stream);
    int length = in.readInt();
    if (length < 9 || length > maxLength) {
      throw new IOException("bad frame length " + length + " (not a Geneva worker connection?)");
    }
    byte[] frame = in.readNBytes(length);
    if (frame.length < length) {
      throw new EOFException("connection closed inside a frame");
    }
    DataInputStream payload = new DataInputStream(new java.io.ByteArrayInputStream(frame));
    byte type = payload.readByte();
    long requestId = payload.readLong();
    return new Frame(type, requestId, payload);
  }

  public static String string(DataInputStream in) throws IOException {
    return new String(bytes(in), StandardCharsets.UTF_8);
  }

  public static byte[] bytes(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > MAX_FRAME) {
      throw new IOException("bad field length " + n);
    }
    return in.readNBytes(n);
  }

  public static Map<String, String> map(DataInputStream in) throws IOException {
    int n = in.readInt();
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      m.put(string(in), string(in));
    }
    return m;
  }

  public static StackTraceElement[] stack(DataInputStream in) throws IOException {
    int n = in.readInt();
    StackTraceElement[] frames = new StackTraceElement[Math.max(0, Math.min(n, 4096))];
    for (int i = 0; i < frames.length; i++) {
      String cls = string(in);
      String method = string(in);
      String file = string(in);
      int line = in.readInt();
      frames[i] = new StackTraceElement(cls, method, file.isEmpty() ? null : file, line);
    }
    return frames;
  }
}
