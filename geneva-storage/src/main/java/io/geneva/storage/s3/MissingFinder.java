package io.geneva.storage.s3;

import io.geneva.spi.ObjectKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Answers {@code findMissing} with as few requests as the store allows. Packages are found by
 * listing: one page of up to 1000 names answers for every package of the batch it covers, so the
 * listing starts just before the batch's first name and stops once it passes the last, within a
 * budget of about one page per 100 keys of the batch. A small store therefore answers a whole batch
 * in one request. Whatever the budget did not reach, and every key outside {@code packages/}
 * (manifests), is asked about with HEAD requests in parallel.
 */
final class MissingFinder {
  private static final int KEYS_PER_PAGE_OF_BUDGET = 100;

  private final S3Context s3;

  MissingFinder(S3Context s3) {
    this.s3 = s3;
  }

  Map<ObjectKey, OptionalLong> findMissing(Map<ObjectKey, Long> expectedSizes) {
    TreeMap<String, ObjectKey> listable = new TreeMap<>();
    List<ObjectKey> toHead = new ArrayList<>();
    for (ObjectKey key : expectedSizes.keySet()) {
      if (key.path().startsWith(ObjectKey.PACKAGES)) {
        listable.put(s3.root.name(key), key);
      } else {
        toHead.add(key);
      }
    }
    Map<ObjectKey, Long> stored = new HashMap<>();
    if (!listable.isEmpty()) {
      toHead.addAll(list(listable, stored));
    }
    stored.putAll(head(toHead));

    Map<ObjectKey, OptionalLong> missing = new HashMap<>();
    for (Map.Entry<ObjectKey, Long> e : expectedSizes.entrySet()) {
      Long size = stored.get(e.getKey());
      if (size == null) {
        missing.put(e.getKey(), OptionalLong.empty());
      } else if (e.getValue() >= 0 && size.longValue() != e.getValue()) {
        missing.put(e.getKey(), OptionalLong.of(size));
      }
    }
    return missing;
  }

  /**
   * Lists the packages' names within the page budget, recording the sizes of those found.
   *
   * @return the keys the listing did not reach, which must be asked about one by one
   */
  private List<ObjectKey> list(TreeMap<String, ObjectKey> wanted, Map<ObjectKey, Long> stored) {
    String listPrefix = s3.root.name(ObjectKey.PACKAGES);
    String first = wanted.firstKey();
    String last = wanted.lastKey();
    // Exclusive: the first name minus its last character sorts just before it.
    String startAfter = first.substring(0, first.length() - 1);
    int budget = Math.max(1, (wanted.size() + KEYS_PER_PAGE_OF_BUDGET - 1) / KEYS_PER_PAGE_OF_BUDGET);
    @Nullable String token = null;
    @Nullable String listedUpTo = null;
    boolean covered = false;
    for (int page = 0; page < budget && !covered; page++) {
      ListObjectsV2Response response = s3.listPage(listPrefix, startAfter, token);
      for (S3Object o : response.contents()) {
        ObjectKey key = wanted.get(o.key());
        if (key != null) {
          stored.put(key, o.size());
        }
        listedUpTo = o.key();
      }
      token = response.nextContinuationToken();
      covered = !Boolean.TRUE.equals(response.isTruncated())
          || token == null
          || (listedUpTo != null && listedUpTo.compareTo(last) >= 0);
    }
    if (covered) {
      return List.of();
    }
    // Names up to the last one listed were seen if they exist; the rest are unknown.
    List<ObjectKey> unreached = new ArrayList<>();
    Map<String, ObjectKey> tail = listedUpTo == null ? wanted : wanted.tailMap(listedUpTo, false);
    for (ObjectKey key : tail.values()) {
      if (!stored.containsKey(key)) {
        unreached.add(key);
      }
    }
    return unreached;
  }

  /** HEADs each key in parallel; returns the sizes of those that exist. */
  private Map<ObjectKey, Long> head(List<ObjectKey> keys) {
    Map<ObjectKey, Long> sizes = new HashMap<>();
    if (keys.isEmpty()) {
      return sizes;
    }
    if (keys.size() == 1) {
      size(keys.get(0)).ifPresent(size -> sizes.put(keys.get(0), size));
      return sizes;
    }
    List<Future<Optional<Long>>> heads = new ArrayList<>(keys.size());
    for (ObjectKey key : keys) {
      heads.add(s3.submit(() -> size(key)));
    }
    List<Optional<Long>> results = s3.awaitAll(heads, "checking which objects exist");
    for (int i = 0; i < keys.size(); i++) {
      ObjectKey key = keys.get(i);
      results.get(i).ifPresent(size -> sizes.put(key, size));
    }
    return sizes;
  }

  private Optional<Long> size(ObjectKey key) {
    return s3.head(s3.root.name(key)).map(HeadObjectResponse::contentLength);
  }
}
