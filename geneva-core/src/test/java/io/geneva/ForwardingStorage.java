package io.geneva;

import io.geneva.spi.Content;
import io.geneva.spi.ObjectKey;
import io.geneva.spi.Storage;
import io.geneva.spi.StoredObject;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A storage that forwards every object call to a delegate, for tests to override the calls they
 * record, count or hold (after Guava's {@code Forwarding} classes). Two calls are not forwarded:
 * {@link #close()} does nothing, since the delegate belongs to the test that made it, and {@link
 * #localStaging()} keeps the interface's default (none), so the decorated storage is seen as a remote
 * one whose packages all go through {@link #put}; a subclass that wants the delegate's local staging
 * forwards it.
 */
public abstract class ForwardingStorage implements Storage {
  private final Storage delegate;

  protected ForwardingStorage(Storage delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /** The storage every call goes to. */
  protected final Storage delegate() {
    return delegate;
  }

  @Override
  public URI root() {
    return delegate.root();
  }

  @Override
  public Map<ObjectKey, OptionalLong> findMissing(Map<ObjectKey, Long> expectedSizes) {
    return delegate.findMissing(expectedSizes);
  }

  @Override
  public void put(ObjectKey key, Content content) {
    delegate.put(key, content);
  }

  @Override
  public InputStream open(ObjectKey key) {
    return delegate.open(key);
  }

  @Override
  public Optional<StoredObject> stat(ObjectKey key) {
    return delegate.stat(key);
  }

  @Override
  public List<StoredObject> list(String prefix) {
    return delegate.list(prefix);
  }

  @Override
  public void delete(ObjectKey key) {
    delegate.delete(key);
  }

  @Override
  public void close() {}
}
