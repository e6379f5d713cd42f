package io.geneva.internal.pack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FixedHuffmanDeflaterTest {
  private final FixedHuffmanDeflater deflater = new FixedHuffmanDeflater();

  private byte[] roundTrip(byte[] input) throws DataFormatException {
    int n = deflater.deflate(input, input.length);
    assertThat(n).isLessThanOrEqualTo(FixedHuffmanDeflater.maxOutput(input.length));
    Inflater inflater = new Inflater(true);
    inflater.setInput(Arrays.copyOf(deflater.output(), n));
    byte[] out = new byte[input.length + 1];
    int length = inflater.inflate(out);
    assertThat(inflater.finished()).as("a complete stream").isTrue();
    inflater.end();
    return Arrays.copyOf(out, length);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 3, 4, 5, 257, 258, 259, 4096, 32768, 32769, 100_000, 1 << 20})
  void randomBytes_roundTripThroughTheJdkInflater(int size) throws Exception {
    byte[] input = new byte[size];
    new Random(size).nextBytes(input);
    assertThat(roundTrip(input)).isEqualTo(input);
  }

  @ParameterizedTest
  @ValueSource(ints = {4, 10, 258, 259, 1000, 70_000})
  void runsOfOneByte_roundTripAndShrink(int size) throws Exception {
    byte[] input = new byte[size];
    Arrays.fill(input, (byte) 'a');
    assertThat(roundTrip(input)).isEqualTo(input);
    if (size > 100) {
      assertThat(deflater.deflate(input, size)).isLessThan(size / 20);
    }
  }

  @Test
  void repetitiveText_compressesAndRoundTrips() throws Exception {
    StringBuilder sb = new StringBuilder();
    Random random = new Random(7);
    String[] words = {"java/lang/Object", "<init>", "()V", "Code", "LineNumberTable", "java/util/List"};
    while (sb.length() < 200_000) {
      sb.append(words[random.nextInt(words.length)]).append((char) random.nextInt(32));
    }
    byte[] input = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    assertThat(roundTrip(input)).isEqualTo(input);
    assertThat(deflater.deflate(input, input.length)).isLessThan(input.length / 2);
  }

  @Test
  void matchesAtEveryDistanceClass_roundTrip() throws Exception {
    // A block of noise repeated at distances that cover every distance code up to the 32 KiB window.
    Random random = new Random(3);
    byte[] noise = new byte[64];
    random.nextBytes(noise);
    byte[] input = new byte[200_000];
    for (int distance = 1, at = 0; at + 64 < input.length; distance = distance * 2 + 1) {
      System.arraycopy(noise, 0, input, at, 64);
      at += 64 + (distance % 32_000);
    }
    assertThat(roundTrip(input)).isEqualTo(input);
  }

  @Test
  void output_dependsOnlyOnTheInput_notOnEarlierInputs() {
    byte[] a = "hello hello hello hello world".repeat(50).getBytes(StandardCharsets.UTF_8);
    byte[] b = new byte[5000];
    new Random(1).nextBytes(b);
    int first = deflater.deflate(a, a.length);
    byte[] alone = Arrays.copyOf(deflater.output(), first);
    deflater.deflate(b, b.length);
    int again = deflater.deflate(a, a.length);
    assertThat(Arrays.copyOf(deflater.output(), again)).isEqualTo(alone);
    FixedHuffmanDeflater fresh = new FixedHuffmanDeflater();
    int n = fresh.deflate(a, a.length);
    assertThat(Arrays.copyOf(fresh.output(), n)).isEqualTo(alone);
  }
}
