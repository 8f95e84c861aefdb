package dev.tiergate.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Passes an immutable record by reference on the local event bus: no serialisation on the hot path. Records only
 * travel locally with this codec; cluster-wide messages use JSON bodies.
 */
public final class LocalRecordCodec<T extends Record> implements MessageCodec<T, T> {

  private final Class<T> type;

  public LocalRecordCodec(Class<T> type) {
    this.type = type;
  }

  @Override
  public void encodeToWire(Buffer buffer, T value) {
    throw new UnsupportedOperationException(type.getSimpleName() + " is local-only; send JSON across the cluster");
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    throw new UnsupportedOperationException(type.getSimpleName() + " is local-only; send JSON across the cluster");
  }

  @Override
  public T transform(T value) {
    return value;
  }

  @Override
  public String name() {
    return "local-" + type.getName();
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
