package io.geneva.storage.s3;

import io.geneva.internal.fingerprint.Sha256;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;

/** SHA-256 in the forms S3 speaks: base64 of the digest, and the composite of a multipart upload. */
final class Checksums {
  private Checksums() {}

  /** The base64 form S3 uses for a hex SHA-256. */
  static String base64OfHex(String hex) {
    return Base64.getEncoder().encodeToString(Sha256.fromHex(hex));
  }

  static String base64(byte[] digest) {
    return Base64.getEncoder().encodeToString(digest);
  }

  static String sha256Base64(byte[] bytes, int length) {
    MessageDigest md = Sha256.newDigest();
    md.update(bytes, 0, length);
    return base64(md.digest());
  }

  /**
   * The checksum S3 reports for a multipart object uploaded with these part checksums: the SHA-256
   * of the concatenated part digests, then {@code -<number of parts>}.
   */
  static String composite(List<String> partChecksumsBase64) {
    MessageDigest md = Sha256.newDigest();
    for (String part : partChecksumsBase64) {
      md.update(Base64.getDecoder().decode(part));
    }
    return base64(md.digest()) + "-" + partChecksumsBase64.size();
  }
}
