package dev.tiergate.http;

import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * First handler of every API route: records the arrival time and the request id (the client's {@code X-Request-Id}
 * when it is a sane token, else a new one) and echoes the id on the response.
 */
final class RequestIds {

  private static final String ID = "tiergate.requestId";
  private static final String START = "tiergate.startNanos";
  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private RequestIds() {
  }

  static void assign(RoutingContext ctx) {
    ctx.put(START, System.nanoTime());
    String offered = ctx.request().getHeader("x-request-id");
    String id = offered != null && SANE.matcher(offered).matches() ? offered : generate();
    ctx.put(ID, id);
    ctx.response().putHeader("x-request-id", id);
    ctx.next();
  }

  /** Whether every {@code %} of a raw path starts a two-hex-digit escape. */
  static boolean escapesValid(String path) {
    if (path == null) {
      return false;
    }
    for (int i = path.indexOf('%'); i >= 0; i = path.indexOf('%', i + 1)) {
      if (i + 2 >= path.length() || Character.digit(path.charAt(i + 1), 16) < 0
          || Character.digit(path.charAt(i + 2), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  static String of(RoutingContext ctx) {
    return ctx.get(ID);
  }

  static long startNanos(RoutingContext ctx) {
    Long start = ctx.get(START);
    return start == null ? System.nanoTime() : start;
  }

  private static String generate() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return "tg-" + Long.toHexString(random.nextLong() | Long.MIN_VALUE)
        + Long.toHexString(random.nextLong() | Long.MIN_VALUE);
  }
}
