package io.geneva.cli.daemon;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * The wire format between the {@code geneva} client and the Geneva daemon, over a Unix domain socket.
 *
 * <p>A request is {@link #MAGIC}, {@link #VERSION}, a kind ({@link #RUN}, {@link #STATUS} or {@link
 * #STOP}), whether the client's standard streams are a console, and the command's arguments. The
 * daemon answers with frames, each a type byte and its payload: first {@link #HELLO} (the daemon's
 * version and pid), then for a run any number of {@link #OUT} and {@link #ERR} chunks and one {@link
 * #EXIT}; or {@link #BUSY} (another command is running: the client runs this one itself), {@link
 * #REFUSED} (another protocol version), or for a status request one {@link #TEXT}. Strings are a
 * length and UTF-8 bytes, so arguments of any length travel.
 *
 * <p>Used by the thin client too, so it holds nothing but JDK classes, no lambdas and no string
 * concatenation by {@code invokedynamic}: each costs the client's JVM classes to load at start.
 */
final class Protocol {
  static final int MAGIC = 0x474e5644; // "GNVD"
  static final int VERSION = 1;

  static final byte RUN = 1;
  static final byte STATUS = 2;
  static final byte STOP = 3;

  static final byte HELLO = 0x10;
  static final byte OUT = 0x11;
  static final byte ERR = 0x12;
  static final byte EXIT = 0x13;
  static final byte BUSY = 0x14;
  static final byte REFUSED = 0x15;
  static final byte TEXT = 0x16;

  /** The most a string or chunk may claim, so a garbled length cannot make the reader allocate gigabytes. */
  static final int MAX_CHUNK = 16 << 20;

  private Protocol() {}

  /** One request, as the daemon reads it. */
  static final class Request {
    final int version;
    final byte kind;
    final boolean console;
    final String[] args;

    Request(int version, byte kind, boolean console, String[] args) {
      this.version = version;
      this.kind = kind;
      this.console = console;
      this.args = args;
    }
  }

  static void writeRequest(DataOutputStream out, byte kind, boolean console, String[] args) throws IOException {
    out.writeInt(MAGIC);
    out.writeInt(VERSION);
    out.writeByte(kind);
    out.writeBoolean(console);
    out.writeInt(args.length);
    for (String a : args) {
      writeString(out, a);
    }
    out.flush();
  }

  /**
   * Reads a request; a request of another version is returned with its version and no arguments, so
   * the daemon can refuse it by name.
   *
   * @throws IOException if the stream does not start with {@link #MAGIC}, ends early or claims an
   *     impossible length
   */
  static Request readRequest(DataInputStream in) throws IOException {
    int magic = in.readInt();
    if (magic != MAGIC) {
      throw new IOException("not a geneva daemon request (magic ".concat(Integer.toHexString(magic)).concat(")"));
    }
    int version = in.readInt();
    if (version != VERSION) {
      return new Request(version, (byte) 0, false, new String[0]);
    }
    byte kind = in.readByte();
    if (kind != RUN && kind != STATUS && kind != STOP) {
      throw new IOException("unknown request kind ".concat(Integer.toString(kind)));
    }
    boolean console = in.readBoolean();
    int n = in.readInt();
    if (n < 0 || n > 100_000) {
      throw new IOException("impossible argument count ".concat(Integer.toString(n)));
    }
    String[] args = new String[n];
    for (int i = 0; i < n; i++) {
      args[i] = readString(in);
    }
    return new Request(version, kind, console, args);
  }

  static void writeHello(DataOutputStream out, long pid) throws IOException {
    out.writeByte(HELLO);
    out.writeInt(VERSION);
    out.writeLong(pid);
    out.flush();
  }

  static void writeChunk(DataOutputStream out, byte type, byte[] bytes, int offset, int length) throws IOException {
    out.writeByte(type);
    out.writeInt(length);
    out.write(bytes, offset, length);
  }

  static void writeExit(DataOutputStream out, int code) throws IOException {
    out.writeByte(EXIT);
    out.writeInt(code);
    out.flush();
  }

  static void writeText(DataOutputStream out, byte type, String text) throws IOException {
    out.writeByte(type);
    writeString(out, text);
    out.flush();
  }

  static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  static String readString(DataInputStream in) throws IOException {
    return new String(readBytes(in), StandardCharsets.UTF_8);
  }

  /** A length, then that many bytes. */
  static byte[] readBytes(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > MAX_CHUNK) {
      throw new IOException("impossible length ".concat(Integer.toString(n)));
    }
    byte[] bytes = new byte[n];
    in.readFully(bytes);
    return bytes;
  }

  /** The next frame's type, or -1 at the end of the stream. */
  static int readType(DataInputStream in) throws IOException {
    try {
      return in.readUnsignedByte();
    } catch (EOFException e) {
      return -1;
    }
  }

  /**
   * A socket channel's bytes as a stream. Not {@code Channels.newInputStream}: on JDK 17 its streams
   * lock the channel's blocking lock, so a thread blocked reading (the daemon's watch for a client
   * that went away) would stop another from writing.
   */
  static final class ChannelInput extends InputStream {
    private final SocketChannel channel;

    ChannelInput(SocketChannel channel) {
      this.channel = channel;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      int n = channel.read(ByteBuffer.wrap(b, off, len));
      return n < 0 ? -1 : n;
    }
  }

  /** Writes to a socket channel, without {@code Channels.newOutputStream}'s lock (see {@link ChannelInput}). */
  static final class ChannelOutput extends OutputStream {
    private final SocketChannel channel;

    ChannelOutput(SocketChannel channel) {
      this.channel = channel;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    }
  }
}
