package io.geneva.internal.pack;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A raw DEFLATE (RFC 1951) encoder for small inputs: greedy LZ77 over one hash probe per position,
 * emitted as a single block with the fixed Huffman codes.
 *
 * <p>Why not {@link java.util.zip.Deflater}: zlib spends most of its time on a small input setting
 * up and building dynamic Huffman trees, which made packing ten thousand class files three times
 * slower than this, for about a tenth less size. And zlib's output varies between zlib versions,
 * while this encoder's output depends only on the input, so an archive has the same bytes, and the
 * same digest, on every JVM and machine.
 *
 * <p>Not thread-safe: use one instance per thread.
 */
final class FixedHuffmanDeflater {
  private static final int HASH_BITS = 14;
  private static final int WINDOW = 32768;
  private static final int MIN_MATCH = 4;
  private static final int MAX_MATCH = 258;
  private static final int END_OF_BLOCK = 256;

  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private static final int[] LIT_CODE = new int[288];
  private static final int[] LIT_BITS = new int[288];
  private static final int[] LEN_SYMBOL = new int[MAX_MATCH + 1];
  private static final int[] LEN_EXTRA_BITS = new int[MAX_MATCH + 1];
  private static final int[] LEN_EXTRA_VALUE = new int[MAX_MATCH + 1];
  private static final int[] DIST_CODE = new int[30];
  private static final int[] DIST_BASE = {
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049,
    3073, 4097, 6145, 8193, 12289, 16385, 24577
  };
  private static final int[] DIST_EXTRA = {
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13
  };
  private static final int[] LEN_BASE = {
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163,
    195, 227, 258
  };
  private static final int[] LEN_EXTRA = {
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0
  };

  static {
    // RFC 1951 3.2.6: the fixed literal/length code. Huffman codes go out most significant bit
    // first into an LSB-first bit stream, so they are stored bit-reversed.
    for (int symbol = 0; symbol < 288; symbol++) {
      int code;
      int bits;
      if (symbol < 144) {
        code = 0x30 + symbol;
        bits = 8;
      } else if (symbol < 256) {
        code = 0x190 + symbol - 144;
        bits = 9;
      } else if (symbol < 280) {
        code = symbol - 256;
        bits = 7;
      } else {
        code = 0xC0 + symbol - 280;
        bits = 8;
      }
      LIT_CODE[symbol] = Integer.reverse(code) >>> (32 - bits);
      LIT_BITS[symbol] = bits;
    }
    for (int i = 0; i < 28; i++) {
      for (int length = LEN_BASE[i]; length < LEN_BASE[i + 1]; length++) {
        LEN_SYMBOL[length] = 257 + i;
        LEN_EXTRA_BITS[length] = LEN_EXTRA[i];
        LEN_EXTRA_VALUE[length] = length - LEN_BASE[i];
      }
    }
    LEN_SYMBOL[MAX_MATCH] = 285; // 258 has a code of its own, without extra bits
    for (int d = 0; d < 30; d++) {
      DIST_CODE[d] = Integer.reverse(d) >>> 27;
    }
  }

  /**
   * Last position (plus {@link #generation}) at which each 4-byte hash was seen. Positions from an
   * earlier input are below the current generation and read as "none", so the table is never cleared
   * and the output never depends on earlier inputs.
   */
  private final int[] head = new int[1 << HASH_BITS];

  private int generation = 1;
  private byte[] out = new byte[1 << 16];
  private int outLength;
  private long bitBuffer;
  private int bitCount;

  /** The output buffer; valid up to the length the last {@link #deflate} returned. */
  byte[] output() {
    return out;
  }

  /** An upper bound of the output size for an input of {@code length} bytes. */
  static int maxOutput(int length) {
    // Every literal costs at most 9 bits; a match of 4+ bytes costs at most 7+5+5+13 = 30 bits.
    return length + (length >>> 3) + 16;
  }

  /**
   * Compresses {@code in[0, length)} into a complete raw deflate stream in {@link #output()}.
   *
   * @return the number of output bytes
   */
  int deflate(byte[] in, int length) {
    if (generation > (1 << 30) - length) {
      java.util.Arrays.fill(head, 0);
      generation = 1;
    }
    final int base = generation;
    generation += length + 1;
    if (out.length < maxOutput(length)) {
      out = new byte[maxOutput(length)];
    }
    outLength = 0;
    bitBuffer = 0;
    bitCount = 0;
    writeBits(1, 1); // BFINAL
    writeBits(1, 2); // BTYPE 01: fixed Huffman codes

    int limit = length - MIN_MATCH;
    int literalsFrom = 0;
    int pos = 0;
    while (pos <= limit) {
      int word = (int) INT.get(in, pos);
      int hash = hash(word);
      int candidate = head[hash] - base;
      head[hash] = pos + base;
      if (candidate >= 0 && pos - candidate <= WINDOW && (int) INT.get(in, candidate) == word) {
        int match = matchLength(in, candidate, pos, Math.min(MAX_MATCH, length - pos));
        writeLiterals(in, literalsFrom, pos);
        writeMatch(match, pos - candidate);
        pos += match;
        literalsFrom = pos;
        if (pos - 1 <= limit) {
          head[hash((int) INT.get(in, pos - 1))] = pos - 1 + base; // keeps runs and repeats matchable
        }
      } else {
        pos++;
      }
    }
    writeLiterals(in, literalsFrom, length);
    writeBits(LIT_CODE[END_OF_BLOCK], LIT_BITS[END_OF_BLOCK]);
    while (bitCount > 0) {
      out[outLength++] = (byte) bitBuffer;
      bitBuffer >>>= 8;
      bitCount -= 8;
    }
    return outLength;
  }

  private static int hash(int word) {
    return (word * 0x9E3779B1) >>> (32 - HASH_BITS);
  }

  /** The length of the common run at {@code candidate} and {@code pos}, known to be at least 4. */
  private static int matchLength(byte[] in, int candidate, int pos, int max) {
    int match = MIN_MATCH;
    while (match + 8 <= max) {
      long diff = (long) LONG.get(in, candidate + match) ^ (long) LONG.get(in, pos + match);
      if (diff != 0) {
        return match + (Long.numberOfTrailingZeros(diff) >>> 3);
      }
      match += 8;
    }
    while (match < max && in[candidate + match] == in[pos + match]) {
      match++;
    }
    return match;
  }

  private void writeLiterals(byte[] in, int from, int to) {
    for (int i = from; i < to; i++) {
      int symbol = in[i] & 0xff;
      writeBits(LIT_CODE[symbol], LIT_BITS[symbol]);
    }
  }

  private void writeMatch(int length, int distance) {
    int symbol = LEN_SYMBOL[length];
    writeBits(LIT_CODE[symbol], LIT_BITS[symbol]);
    if (LEN_EXTRA_BITS[length] > 0) {
      writeBits(LEN_EXTRA_VALUE[length], LEN_EXTRA_BITS[length]);
    }
    int code = distanceCode(distance);
    writeBits(DIST_CODE[code], 5);
    if (DIST_EXTRA[code] > 0) {
      writeBits(distance - DIST_BASE[code], DIST_EXTRA[code]);
    }
  }

  static int distanceCode(int distance) {
    int d = distance - 1;
    if (d < 4) {
      return d;
    }
    int high = 31 - Integer.numberOfLeadingZeros(d);
    return 2 * high + ((d >>> (high - 1)) & 1);
  }

  private void writeBits(int value, int bits) {
    bitBuffer |= ((long) value) << bitCount;
    bitCount += bits;
    if (bitCount >= 32) {
      INT.set(out, outLength, (int) bitBuffer);
      outLength += 4;
      bitBuffer >>>= 32;
      bitCount -= 32;
    }
  }
}
