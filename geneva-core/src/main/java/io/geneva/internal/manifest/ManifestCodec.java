package io.geneva.internal.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.geneva.IntegrityException;
import io.geneva.Manifest;
import io.geneva.internal.fingerprint.Sha256;
import io.geneva.internal.json.JsonWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The manifest's canonical JSON: properties and map keys sorted, no whitespace, UTF-8. Its SHA-256
 * is the manifest's name, so equal content always gets equal bytes and an equal digest.
 */
public final class ManifestCodec {
  /** Manifests larger than this are refused when read (a real one is a few hundred KiB at most). */
  public static final int MAX_BYTES = 16 << 20;

  /** Jackson, initialised only when a manifest is read: writing one must not pay for it. */
  private static final class Jackson {
    static final ObjectMapper CANONICAL =
        JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
  }

  private ManifestCodec() {}

  /**
   * The canonical bytes: what Jackson writes with sorted properties and keys, produced by hand
   * because a session's first start should not pay for initialising Jackson (hundreds of
   * milliseconds in a fresh JVM) to write a few fields.
   */
  public static byte[] encode(Manifest manifest) {
    JsonWriter json = JsonWriter.compact(256 + manifest.classpath().size() * 200);
    json.beginObject().name("classpath").beginArray();
    for (Manifest.Package p : manifest.classpath()) {
      json.beginObject()
          .name("key").value(p.key())
          .name("kind").value(p.kind().name());
      if (p.provided() != null) {
        json.name("provided").value(p.provided());
      }
      json.name("sha256").value(p.sha256())
          .name("size").value(p.size())
          .endObject();
    }
    json.endArray().name("dependenciesInImage").value(manifest.dependenciesInImage());
    json.name("environment").beginObject();
    for (Map.Entry<String, String> e : new TreeMap<>(manifest.environment()).entrySet()) {
      json.name(e.getKey()).value(e.getValue());
    }
    json.endObject().name("formatVersion").value(manifest.formatVersion());
    json.name("jvmOptions").beginArray();
    for (String option : manifest.jvmOptions()) {
      json.value(option);
    }
    Manifest.Runtime r = manifest.runtime();
    json.endArray()
        .name("runtime").beginObject()
        .name("arch").value(r.arch())
        .name("javaFeatureVersion").value(r.javaFeatureVersion())
        .name("os").value(r.os())
        .endObject()
        .endObject();
    return json.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The canonical bytes as Jackson writes them; tests check {@link #encode} against this. */
  static byte[] encodeWithJackson(Manifest manifest) {
    try {
      return Jackson.CANONICAL.writeValueAsBytes(manifest);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a manifest", e);
    }
  }

  /** The manifest's digest: the hex SHA-256 of its canonical bytes. */
  public static String digest(Manifest manifest) {
    return Sha256.of(encode(manifest));
  }

  /**
   * Reads a manifest and checks it against the digest that names it.
   *
   * @param source where it came from, for messages
   * @param expectedSha256 the digest from its name, or {@code null} to skip the check
   * @throws IntegrityException if it does not match its digest, is not a manifest, or is of a newer
   *     format than this library understands
   */
  public static Manifest decode(InputStream in, String source, @Nullable String expectedSha256) throws IOException {
    byte[] bytes = in.readNBytes(MAX_BYTES + 1);
    if (bytes.length > MAX_BYTES) {
      throw new IntegrityException("manifest " + source + " is larger than " + MAX_BYTES + " bytes; it is not a Geneva manifest");
    }
    String actual = Sha256.of(bytes);
    if (expectedSha256 != null && !actual.equals(expectedSha256.toLowerCase(Locale.ROOT))) {
      throw new IntegrityException(
          "manifest " + source + " has sha256 " + actual + ", not " + expectedSha256
              + " as its name says; it is corrupt: package the classpath again to rewrite it");
    }
    Manifest m;
    try {
      m = Jackson.CANONICAL.readValue(bytes, Manifest.class);
    } catch (JsonProcessingException e) {
      throw new IntegrityException(
          "manifest " + source + " is not a Geneva manifest: " + e.getOriginalMessage(), e);
    }
    if (m.formatVersion() > Manifest.FORMAT_VERSION) {
      throw new IntegrityException(
          "manifest " + source + " has format " + m.formatVersion() + ", newer than this Geneva reads ("
              + Manifest.FORMAT_VERSION + "); upgrade Geneva");
    }
    return m;
  }
}
