package dev.tiergate.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.config.ConfigException;
import dev.tiergate.support.FakeUpstream;
import dev.tiergate.support.Http;
import dev.tiergate.support.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SelfSignedCertificate;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Inbound TLS on the public port from PEM files; a plain-text client gets nothing from it. */
class TlsTest {

  private Vertx vertx;
  private FakeUpstream fake;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    fake = await(FakeUpstream.start(vertx));
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  @Test
  void thePublicPortSpeaksTlsFromPemFiles() throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    TestGateway gateway = await(TestGateway.to(fake)
        .tls(certificate.certificatePath(), certificate.privateKeyPath()).start(vertx));
    var client = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustAll(true)
        .setVerifyHost(false));
    String body = await(client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
            .setPort(gateway.port()).setURI("/v1/chat/completions").putHeader("content-type", "application/json"))
        .compose(req -> req.send(Http.chat("gpt-4o", false)))
        .compose(resp -> {
          assertEquals(200, resp.statusCode());
          return resp.body();
        })).toString();
    assertTrue(body.contains("chat.completion"), body);
    var plain = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(2_000));
    assertThrows(Exception.class, () -> await(plain.request(HttpMethod.GET, gateway.port(), "127.0.0.1", "/healthz")
        .compose(req -> req.send()).compose(resp -> resp.body())), "no plain-text answer on a TLS port");
    assertEquals(1, fake.requests().size());
  }

  @Test
  void aMissingPemFileStopsTheStartNamingTheKey() {
    ConfigException error = assertThrows(ConfigException.class, () -> TestGateway.to(fake)
        .tls("/nonexistent/cert.pem", "/nonexistent/key.pem").start(vertx));
    assertTrue(error.getMessage().contains("http.tls.certPath"), error.getMessage());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
