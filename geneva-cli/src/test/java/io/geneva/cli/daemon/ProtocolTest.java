package io.geneva.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProtocolTest {
  @Test
  void request_roundTripsArgumentsOfAnyLengthAndTheConsoleFlag() throws IOException {
    String longArgument = "x".repeat(100_000) + "é";
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Protocol.writeRequest(new DataOutputStream(bytes), Protocol.RUN, true, new String[] {"package", longArgument, ""});

    Protocol.Request r = Protocol.readRequest(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));

    assertThat(r.version).isEqualTo(Protocol.VERSION);
    assertThat(r.kind).isEqualTo(Protocol.RUN);
    assertThat(r.console).isTrue();
    assertThat(r.args).containsExactly("package", longArgument, "");
  }

  @Test
  void requestOfAnotherVersion_isReadWithItsVersionSoItCanBeRefused() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(Protocol.MAGIC);
    out.writeInt(Protocol.VERSION + 1);
    out.writeByte(Protocol.RUN);

    Protocol.Request r = Protocol.readRequest(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));

    assertThat(r.version).isEqualTo(Protocol.VERSION + 1);
    assertThat(r.args).isEmpty();
  }

  @Test
  void garbage_isRefusedWithAnIoException() throws IOException {
    byte[] http = "GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> Protocol.readRequest(new DataInputStream(new ByteArrayInputStream(http))))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not a geneva daemon request");

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeByte(Protocol.OUT);
    out.writeInt(Integer.MAX_VALUE);
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
    assertThat(Protocol.readType(in)).isEqualTo(Protocol.OUT);
    assertThatThrownBy(() -> Protocol.readBytes(in)).hasMessageContaining("impossible length");
  }

  @Test
  void frames_roundTripAndTheEndOfTheStreamReadsAsMinusOne() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    Protocol.writeHello(out, 42);
    byte[] chunk = {0, 1, (byte) 0xff, '\n'};
    Protocol.writeChunk(out, Protocol.ERR, chunk, 1, 3);
    Protocol.writeExit(out, 7);

    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
    assertThat(Protocol.readType(in)).isEqualTo(Protocol.HELLO);
    assertThat(in.readInt()).isEqualTo(Protocol.VERSION);
    assertThat(in.readLong()).isEqualTo(42);
    assertThat(Protocol.readType(in)).isEqualTo(Protocol.ERR);
    assertThat(Protocol.readBytes(in)).containsExactly(1, (byte) 0xff, '\n');
    assertThat(Protocol.readType(in)).isEqualTo(Protocol.EXIT);
    assertThat(in.readInt()).isEqualTo(7);
    assertThat(Protocol.readType(in)).isEqualTo(-1);
  }
}
