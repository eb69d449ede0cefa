package dev.sluice.relay.demo;

import dev.sluice.relay.smtp.SmtpReply;
import dev.sluice.relay.smtp.in.Authenticator;
import dev.sluice.relay.smtp.in.ClientInfo;
import dev.sluice.relay.smtp.in.ConnectionLimiter;
import dev.sluice.relay.smtp.in.ConnectionRate;
import dev.sluice.relay.smtp.in.ListenerMode;
import dev.sluice.relay.smtp.in.SessionPolicy;
import dev.sluice.relay.smtp.in.SessionSettings;
import dev.sluice.relay.smtp.in.SmtpServer;
import dev.sluice.routing.net.Cidr;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A provider's SMTP endpoint on loopback for the demo: Sluice's own ingress state machine, serving
 * any client on 127.0.0.0/8, counting and discarding what it accepts. While it is {@linkplain
 * #failing(boolean) failing} it greets new connections with {@code 421} and answers {@code 421} to
 * MAIL on those already open, as a provider does when it throttles or is down.
 */
final class SimulatedUpstream implements AutoCloseable {
  private final String name;
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private volatile boolean failing;
  private SmtpServer server;
  private InetSocketAddress address;

  SimulatedUpstream(String name) {
    this.name = name;
  }

  /** Binds on a free loopback port. */
  SimulatedUpstream start(EventLoopGroup loops) throws InterruptedException {
    server =
        new SmtpServer(
            new SmtpServer.Listener(
                name,
                new InetSocketAddress("127.0.0.1", 0),
                ListenerMode.RELAY,
                SessionSettings.defaults(name + ".sim.sluice.test"),
                Optional.empty(),
                List.of(Cidr.parse("127.0.0.0/8")),
                new ConnectionLimiter(1000, 1000, ConnectionRate.unlimited()),
                new Policy(),
                transaction -> {
                  long n = accepted.incrementAndGet();
                  return CompletableFuture.completedFuture(name + "-" + n);
                },
                Authenticator.NONE,
                Runnable::run));
    address = server.bind(loops);
    return this;
  }

  String name() {
    return name;
  }

  int port() {
    return address.getPort();
  }

  /** Messages accepted since start. */
  long accepted() {
    return accepted.get();
  }

  /** Connections and transactions turned away with 421 since start. */
  long refused() {
    return refused.get();
  }

  void failing(boolean on) {
    failing = on;
  }

  boolean failing() {
    return failing;
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }

  /** Opens or shuts the door; every message that gets in is accepted. */
  private final class Policy implements SessionPolicy {
    @Override
    public boolean available() {
      if (failing) {
        refused.incrementAndGet();
        return false;
      }
      return true;
    }

    @Override
    public boolean accepting() {
      return true;
    }

    @Override
    public Optional<SmtpReply> checkSender(ClientInfo client, String sender) {
      if (failing) {
        refused.incrementAndGet();
        return Optional.of(SmtpReply.of(421, "4.7.0", "Simulated outage, try again later"));
      }
      return Optional.empty();
    }

    @Override
    public Optional<SmtpReply> checkRecipient(ClientInfo client, String sender, String recipient) {
      return Optional.empty();
    }
  }
}
