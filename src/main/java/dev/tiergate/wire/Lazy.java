package dev.tiergate.wire;

import java.util.function.Supplier;

/** A value computed on first use and kept; for one request on one event loop (not thread-safe by design). */
public final class Lazy<T> implements Supplier<T> {

  private Supplier<T> supplier;
  private T value;

  public Lazy(Supplier<T> supplier) {
    this.supplier = supplier;
  }

  public static <T> Lazy<T> of(T value) {
    Lazy<T> lazy = new Lazy<>(null);
    lazy.value = value;
    return lazy;
  }

  @Override
  public T get() {
    if (supplier != null) {
      value = supplier.get();
      supplier = null;
    }
    return value;
  }
}
