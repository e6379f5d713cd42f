package io.geneva;

import io.geneva.spi.Content;
import io.geneva.spi.LocalStaging;
import io.geneva.spi.ObjectKey;
import io.geneva.spi.Storage;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A storage that delegates and counts calls: a hand-written recorder, no mocking framework. It keeps
 * the delegate's local staging, and counts closes without closing the delegate.
 */
public final class CountingStorage extends ForwardingStorage {
  private final AtomicInteger closes = new AtomicInteger();
  private final AtomicInteger findMissingCalls = new AtomicInteger();
  private final AtomicInteger puts = new AtomicInteger();
  private final Map<String, AtomicInteger> opens = new java.util.concurrent.ConcurrentHashMap<>();

  public CountingStorage(Storage delegate) {
    super(delegate);
  }

  public int closes() {
    return closes.get();
  }

  public int findMissingCalls() {
    return findMissingCalls.get();
  }

  public int puts() {
    return puts.get();
  }

  /** How many times this key was opened for reading. */
  public int opens(String key) {
    AtomicInteger count = opens.get(key);
    return count == null ? 0 : count.get();
  }

  /** How many times any object was opened for reading. */
  public int totalOpens() {
    return opens.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  @Override
  public Map<ObjectKey, java.util.OptionalLong> findMissing(Map<ObjectKey, Long> expectedSizes) {
    findMissingCalls.incrementAndGet();
    return super.findMissing(expectedSizes);
  }

  @Override
  public void put(ObjectKey key, Content content) {
    puts.incrementAndGet();
    super.put(key, content);
  }

  @Override
  public InputStream open(ObjectKey key) {
    opens.computeIfAbsent(key.path(), k -> new AtomicInteger()).incrementAndGet();
    return super.open(key);
  }

  @Override
  public Optional<LocalStaging> localStaging() {
    return delegate().localStaging();
  }

  @Override
  public void close() {
    closes.incrementAndGet();
  }
}
