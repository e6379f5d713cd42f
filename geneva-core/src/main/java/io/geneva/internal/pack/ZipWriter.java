package io.geneva.internal.pack;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the zip container format (PKWARE APPNOTE 4.3) with nothing that varies between machines:
 * one fixed DOS timestamp, "made by" MS-DOS with no external attributes (so no permissions), no
 * extra fields, no comments. Entries are added in the order given; the central directory is kept in
 * memory (a few dozen bytes an entry) and written by {@link #finish()}.
 *
 * <p>Not thread-safe. Does not close the underlying stream.
 */
final class ZipWriter {
  /** Compression methods. */
  static final int STORED = 0;
  static final int DEFLATED = 8;

  /** 1980-02-01 00:00 in MS-DOS form: late enough that no time zone turns it into 1979. */
  private static final int DOS_DATE = (0 << 9) | (2 << 5) | 1;
  private static final int DOS_TIME = 0;
  private static final int UTF8_FLAG = 1 << 11;
  private static final int DATA_DESCRIPTOR_FLAG = 1 << 3;
  private static final int MAX_ENTRIES = 0xFFFF;
  private static final long MAX_32 = 0xFFFFFFFFL;

  private record Central(byte[] name, int flags, int method, long crc, long compressed, long size, long offset) {}

  private final OutputStream out;
  private final List<Central> central = new ArrayList<>();
  private final byte[] header = new byte[46];
  private long written;
  private Central pending;
  private long pendingDataStart;

  ZipWriter(OutputStream out) {
    this.out = out;
  }

  /** An entry whose CRC and sizes are known before its data: header, then {@code data[0, length)}. */
  void entry(String name, int method, long crc, long size, byte[] data, int length) throws IOException {
    byte[] encoded = begin(name);
    int flags = flags(encoded, name);
    writeLocalHeader(encoded, flags, method, crc, length, size);
    out.write(data, 0, length);
    written += length;
    central.add(new Central(encoded, flags, method, crc, length, size, offsetOfLast(encoded, length)));
  }

  /**
   * Starts an entry whose CRC and sizes are known, with data too large to buffer: the caller writes
   * exactly {@code compressed} bytes to {@link #stream()}, then calls {@link #endKnown()}.
   */
  void beginKnown(String name, int method, long crc, long compressed, long size) throws IOException {
    byte[] encoded = begin(name);
    int flags = flags(encoded, name);
    pending = new Central(encoded, flags, method, crc, compressed, size, written);
    writeLocalHeader(encoded, flags, method, crc, compressed, size);
    pendingDataStart = written;
  }

  /** Ends an entry begun with {@link #beginKnown}. */
  void endKnown() throws IOException {
    if (written - pendingDataStart != pending.compressed) {
      throw new IOException(
          "entry " + new String(pending.name, StandardCharsets.UTF_8) + " had " + (written - pendingDataStart)
              + " bytes, not " + pending.compressed);
    }
    central.add(pending);
    pending = null;
  }

  /**
   * Starts an entry whose CRC and sizes are known only after its data: the caller writes the data to
   * {@link #stream()}, then calls {@link #endStreamed}.
   */
  void beginStreamed(String name, int method) throws IOException {
    byte[] encoded = begin(name);
    int flags = flags(encoded, name) | DATA_DESCRIPTOR_FLAG;
    pending = new Central(encoded, flags, method, 0, 0, 0, written);
    writeLocalHeader(encoded, flags, method, 0, 0, 0);
  }

  /** The stream for a large entry's (compressed) data; counts what is written. */
  OutputStream stream() {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        out.write(b);
        written++;
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        written += len;
      }
    };
  }

  /** Ends a streamed entry with its data descriptor. */
  void endStreamed(long crc, long compressed, long size) throws IOException {
    checkSize(new String(pending.name, StandardCharsets.UTF_8), compressed, size);
    putInt(0, 0x08074b50);
    putInt(4, crc);
    putInt(8, compressed);
    putInt(12, size);
    out.write(header, 0, 16);
    written += 16;
    central.add(new Central(pending.name, pending.flags, pending.method, crc, compressed, size, pending.offset));
    pending = null;
  }

  /** Writes the central directory and the end record. */
  void finish() throws IOException {
    long start = written;
    for (Central c : central) {
      putInt(0, 0x02014b50);
      putShort(4, 20); // made by: MS-DOS, spec 2.0 (no Unix permissions)
      putShort(6, c.method == DEFLATED ? 20 : 10);
      putShort(8, c.flags);
      putShort(10, c.method);
      putShort(12, DOS_TIME);
      putShort(14, DOS_DATE);
      putInt(16, c.crc);
      putInt(20, c.compressed);
      putInt(24, c.size);
      putShort(28, c.name.length);
      putShort(30, 0); // extra
      putShort(32, 0); // comment
      putShort(34, 0); // disk
      putShort(36, 0); // internal attributes
      putInt(38, 0); // external attributes
      putInt(42, c.offset);
      out.write(header, 0, 46);
      out.write(c.name);
      written += 46 + c.name.length;
    }
    long size = written - start;
    if (written > MAX_32) {
      throw new IOException("archive larger than 4 GiB; zip64 is not supported");
    }
    putInt(0, 0x06054b50);
    putShort(4, 0);
    putShort(6, 0);
    putShort(8, central.size());
    putShort(10, central.size());
    putInt(12, size);
    putInt(16, start);
    putShort(20, 0);
    out.write(header, 0, 22);
    written += 22;
  }

  /** Bytes written so far. */
  long written() {
    return written;
  }

  private byte[] begin(String name) throws IOException {
    if (pending != null) {
      throw new IllegalStateException("a streamed entry is still open");
    }
    if (central.size() == MAX_ENTRIES) {
      throw new IOException("more than " + MAX_ENTRIES + " entries in one archive");
    }
    if (written > MAX_32) {
      throw new IOException("archive larger than 4 GiB; zip64 is not supported");
    }
    byte[] encoded = name.getBytes(StandardCharsets.UTF_8);
    if (encoded.length > 0xFFFF) {
      throw new IOException("entry name longer than 65535 bytes: " + name.substring(0, 80) + "…");
    }
    return encoded;
  }

  private static int flags(byte[] encoded, String name) {
    return encoded.length != name.length() ? UTF8_FLAG : 0;
  }

  private long offsetOfLast(byte[] name, int length) {
    return written - length - 30 - name.length;
  }

  private void writeLocalHeader(byte[] name, int flags, int method, long crc, long compressed, long size)
      throws IOException {
    checkSize(new String(name, StandardCharsets.UTF_8), compressed, size);
    putInt(0, 0x04034b50);
    putShort(4, method == DEFLATED ? 20 : 10);
    putShort(6, flags);
    putShort(8, method);
    putShort(10, DOS_TIME);
    putShort(12, DOS_DATE);
    putInt(14, crc);
    putInt(18, compressed);
    putInt(22, size);
    putShort(26, name.length);
    putShort(28, 0);
    out.write(header, 0, 30);
    out.write(name);
    written += 30 + name.length;
  }

  private static void checkSize(String name, long compressed, long size) throws IOException {
    if (compressed > MAX_32 || size > MAX_32) {
      throw new IOException(name + " is larger than 4 GiB; zip64 is not supported");
    }
  }

  private void putShort(int at, int v) {
    header[at] = (byte) v;
    header[at + 1] = (byte) (v >>> 8);
  }

  private void putInt(int at, long v) {
    header[at] = (byte) v;
    header[at + 1] = (byte) (v >>> 8);
    header[at + 2] = (byte) (v >>> 16);
    header[at + 3] = (byte) (v >>> 24);
  }
}
