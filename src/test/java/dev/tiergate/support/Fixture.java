package dev.tiergate.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.UnaryOperator;

/**
 * The usual test setup: one {@link FakeUpstream}, a real gateway in front of it (tuned by {@code tune}), and a raw
 * {@link Http} client to the gateway.
 */
public record Fixture(FakeUpstream fake, TestGateway gateway, Http http) {

  public static Future<Fixture> start(Vertx vertx, UnaryOperator<TestGateway> tune) {
    return FakeUpstream.start(vertx)
        .compose(fake -> tune.apply(TestGateway.to(fake)).start(vertx)
            .map(gateway -> new Fixture(fake, gateway, new Http(vertx, gateway.port()))));
  }

  public static Future<Fixture> start(Vertx vertx) {
    return start(vertx, UnaryOperator.identity());
  }
}
