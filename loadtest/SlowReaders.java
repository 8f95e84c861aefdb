import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Slow SSE readers for {@code loadtest/slowreaders.sh}: N clients each open one long streaming chat completion and
 * read it at {@code bytesPerSecond} through a small socket receive buffer, so the server's writes back up to the
 * gateway (which must pause its upstream and keep per-stream memory bounded, without slowing other clients).
 *
 * <p>Run: {@code java loadtest/SlowReaders.java HOST PORT CLIENTS BYTES_PER_SECOND SECONDS [CHUNKS GAP_MS]}. Prints
 * one JSON line: clients, bytes read in total, streams still open at the end.
 */
public final class SlowReaders {

  public static void main(String[] args) throws Exception {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    int clients = Integer.parseInt(args[2]);
    int rate = Integer.parseInt(args[3]);
    long seconds = Long.parseLong(args[4]);
    int chunks = args.length > 5 ? Integer.parseInt(args[5]) : 5_000;
    long gapMs = args.length > 6 ? Long.parseLong(args[6]) : 10;
    String body = "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
        + "\"metadata\":{\"mock_chunks\":" + chunks + ",\"mock_gap_ms\":" + gapMs + "}}";
    String request = "POST /v1/chat/completions HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
        + "x-mock-chunks: " + chunks + "\r\nx-mock-gap-ms: " + gapMs + "\r\nContent-Length: "
        + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    AtomicLong read = new AtomicLong();
    AtomicLong open = new AtomicLong();
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      threads.add(Thread.ofVirtual().start(() -> readSlowly(host, port, request, rate, end, read, open)));
    }
    for (Thread t : threads) {
      t.join();
    }
    System.out.printf("{\"clients\":%d,\"bytes_per_second\":%d,\"seconds\":%d,\"bytes_read\":%d,\"open_at_end\":%d}%n",
        clients, rate, seconds, read.get(), open.get());
  }

  private static void readSlowly(String host, int port, String request, int rate, long end, AtomicLong read,
                                 AtomicLong open) {
    try (Socket socket = new Socket()) {
      socket.setReceiveBufferSize(1024);
      socket.connect(new InetSocketAddress(host, port), 5_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[rate];
      while (System.nanoTime() < end) {
        int n = in.read(buffer, 0, rate);
        if (n < 0) {
          return;
        }
        read.addAndGet(n);
        Thread.sleep(1_000);
      }
      open.incrementAndGet();
    } catch (Exception e) {
      System.err.println("slow reader: " + e);
    }
  }
}
