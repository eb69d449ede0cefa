package dev.sluice.relay.smtp.out;

import dev.sluice.routing.outcome.Stage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes the message text after the 354, one encoded chunk at a time: the next chunk is encoded
 * only when the previous one has reached the socket, so a slow server holds back the writer, not
 * the heap, and the event loop never blocks. Completes when the final dot has been written; fails
 * with {@link Stage#DATA} when a write fails or stalls longer than the data block timeout. Runs on
 * the event loop.
 */
final class BodyWriter {
  /** Input bytes per chunk; the encoded chunk is a little larger. */
  static final int CHUNK = 64 * 1024;

  private final ClientHandler handler;
  private final Channel channel;
  private final BodyEncoder encoder;
  private final Duration blockTimeout;
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private ScheduledFuture<?> timer;

  private BodyWriter(ClientHandler handler, Channel channel, ByteBuffer body, Duration timeout) {
    this.handler = handler;
    this.channel = channel;
    this.encoder = new BodyEncoder(body);
    this.blockTimeout = timeout;
  }

  static CompletableFuture<Void> write(
      ClientHandler handler, Channel channel, ByteBuffer body, Duration blockTimeout) {
    BodyWriter writer = new BodyWriter(handler, channel, body, blockTimeout);
    writer.next();
    return writer.done;
  }

  private void next() {
    ByteBuf chunk = channel.alloc().buffer(CHUNK + CHUNK / 8 + 8);
    encoder.next(chunk, CHUNK);
    boolean last = encoder.finished();
    timer =
        channel
            .eventLoop()
            .schedule(
                () -> {
                  String detail =
                      "timeout after "
                          + ClientHandler.seconds(blockTimeout)
                          + " sending message text";
                  done.completeExceptionally(
                      handler.failure(Stage.DATA, null, detail, new TimeoutException(detail)));
                  channel.close();
                },
                blockTimeout.toNanos(),
                TimeUnit.NANOSECONDS);
    handler
        .writeBytes(chunk)
        .addListener(
            f -> {
              timer.cancel(false);
              if (done.isDone()) {
                return;
              }
              if (!f.isSuccess()) {
                done.completeExceptionally(
                    handler.failure(
                        Stage.DATA,
                        null,
                        "connection lost while sending message text: " + handler.brokenDetail(),
                        f.cause()));
              } else if (last) {
                done.complete(null);
              } else {
                next();
              }
            });
  }
}
