package dev.tiergate.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in front of a real server (PostgreSQL in tests) that can cut every connection and refuse new ones, then
 * let them through again: a database outage without touching the database.
 */
public final class TcpProxy {

  private final Vertx vertx;
  private final String targetHost;
  private final int targetPort;
  private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
  private NetServer server;
  private NetClient client;
  private volatile boolean cut;

  private TcpProxy(Vertx vertx, String targetHost, int targetPort) {
    this.vertx = vertx;
    this.targetHost = targetHost;
    this.targetPort = targetPort;
  }

  public static Future<TcpProxy> start(Vertx vertx, String host, int port) {
    TcpProxy proxy = new TcpProxy(vertx, host, port);
    proxy.client = vertx.createNetClient();
    return vertx.createNetServer().connectHandler(proxy::accept).listen(0, "127.0.0.1").map(server -> {
      proxy.server = server;
      return proxy;
    });
  }

  public int port() {
    return server.actualPort();
  }

  /** Closes every connection and refuses new ones until {@link #restore()}. */
  public void cut() {
    cut = true;
    open.forEach(NetSocket::close);
  }

  public void restore() {
    cut = false;
  }

  private void accept(NetSocket inbound) {
    if (cut) {
      inbound.close();
      return;
    }
    inbound.pause();
    client.connect(targetPort, targetHost).onSuccess(outbound -> {
      open.add(inbound);
      open.add(outbound);
      inbound.closeHandler(v -> {
        open.remove(inbound);
        outbound.close();
      });
      outbound.closeHandler(v -> {
        open.remove(outbound);
        inbound.close();
      });
      inbound.pipeTo(outbound);
      outbound.pipeTo(inbound);
    }).onFailure(e -> inbound.close());
  }
}
