package dev.tiergate.provider;

import dev.tiergate.config.HealthConfig;
import dev.tiergate.config.ProviderConfig;
import dev.tiergate.config.ProviderFamily;
import dev.tiergate.http.UpstreamFailures;
import dev.tiergate.routing.SnapshotHolder;
import dev.tiergate.wire.ollama.OllamaTags;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import java.util.List;

/**
 * Checks every provider periodically with a cheap authenticated GET of its model list, off the request path, and
 * keeps the results on the {@link HealthBoard} (the only writer). An Ollama provider's {@code /api/tags} also tells
 * which local models it has. A cloud provider without a key is skipped: calling it would only log a 401 upstream.
 * One instance; its own HTTP clients.
 */
public final class HealthVerticle extends VerticleBase {

  private static final int BODY_LIMIT = 1024 * 1024;

  private final SnapshotHolder snapshots;
  private final HealthConfig config;
  private final boolean airgap;
  private final HealthBoard board;
  private Upstreams upstreams;
  private long timer = -1;

  /**
   * @param airgap in airgap mode cloud providers are not even checked: nothing may reach them
   */
  public HealthVerticle(SnapshotHolder snapshots, HealthConfig config, boolean airgap, HealthBoard board) {
    this.snapshots = snapshots;
    this.config = config;
    this.airgap = airgap;
    this.board = board;
  }

  @Override
  public Future<?> start() {
    if (!config.enabled()) {
      return Future.succeededFuture();
    }
    upstreams = new Upstreams(vertx);
    checkAll();
    timer = vertx.setPeriodic(config.intervalMs(), id -> checkAll());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return upstreams == null ? Future.succeededFuture() : upstreams.close();
  }

  /** Checks the providers of the current snapshot: the registry may have added or removed some. */
  private void checkAll() {
    if (snapshots.ready()) {
      snapshots.current().providers().values().forEach(this::check);
    }
  }

  private void check(ProviderConfig provider) {
    if (!provider.local() && (airgap || provider.apiKey().isEmpty())) {
      board.record(new ProviderHealth(provider.name(), ProviderHealth.Status.SKIPPED, -1,
          System.currentTimeMillis(), airgap ? "airgap mode: cloud providers are never called"
          : "no API key configured", List.of()));
      return;
    }
    UpstreamRequest probe = upstreams.adapter(provider.family()).healthCheck(provider);
    probe.options().setIdleTimeout(config.timeoutMs()).setTimeout(config.timeoutMs());
    long start = System.nanoTime();
    upstreams.request(provider, probe.options())
        .compose(request -> request.send())
        .compose(response -> readAnswer(provider, response))
        .onComplete(ar -> {
          long latencyMs = (System.nanoTime() - start) / 1_000_000;
          ProviderHealth health = ar.succeeded()
              ? new ProviderHealth(provider.name(), ProviderHealth.Status.UP, latencyMs, System.currentTimeMillis(),
                  null, ar.result())
              : new ProviderHealth(provider.name(), ProviderHealth.Status.DOWN, latencyMs, System.currentTimeMillis(),
                  UpstreamFailures.classify(ar.cause(), provider.timeouts()).errorClass(), List.of());
          board.record(health);
        });
  }

  private Future<List<String>> readAnswer(ProviderConfig provider, HttpClientResponse response) {
    return response.body().compose(body -> {
      if (response.statusCode() / 100 != 2) {
        return Future.failedFuture(upstreams.adapter(provider.family())
            .mapError(provider, response.statusCode(), response.headers(), body));
      }
      return Future.succeededFuture(models(provider, body));
    });
  }

  private static List<String> models(ProviderConfig provider, Buffer body) {
    if (provider.family() != ProviderFamily.OLLAMA || body.length() > BODY_LIMIT) {
      return List.of();
    }
    return OllamaTags.modelNames(body);
  }
}
