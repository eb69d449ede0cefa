package dev.sluice.relay.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.auth.EasyAuthenticationHandlerFactory;
import org.subethamail.smtp.auth.LoginFailedException;
import org.subethamail.smtp.internal.server.BaseCommand;
import org.subethamail.smtp.internal.server.Command;
import org.subethamail.smtp.internal.server.CommandException;
import org.subethamail.smtp.internal.server.CommandHandler;
import org.subethamail.smtp.internal.server.HelpMessage;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;
import org.subethamail.smtp.server.SessionHandler;

/**
 * A real SMTP server we did not write (SubEthaSMTP), bound on a loopback address and a free port,
 * that can be told how to answer and remembers what it got — the remote end of outbound tests, in
 * the manner of OkHttp's MockWebServer:
 *
 * <pre>{@code
 * try (ScriptedSmtpServer mx = ScriptedSmtpServer.start("127.0.0.9")) {
 *   mx.answerRcptFor("bad@example.net", 550, "5.1.1 no such user");
 *   ... deliver to mx.address() ...
 *   assertThat(mx.awaitMessages(1, Duration.ofSeconds(5)).get(0).recipients()).containsExactly(...);
 * }
 * }</pre>
 *
 * <p>Scripts may be changed while it runs; a script given {@code times} applies to that many
 * commands (or connections, or messages), then the server accepts again. A 421 answer closes the
 * connection, as real servers do. EHLO is answered by this class (SubEthaSMTP's own offers neither
 * PIPELINING nor DSN): by default {@code PIPELINING}, {@code 8BITMIME} and {@code SMTPUTF8}, plus
 * STARTTLS and AUTH when set up.
 */
public final class ScriptedSmtpServer implements AutoCloseable {
  /** A message the server accepted. */
  public record ReceivedMessage(
      String sender, List<String> recipients, byte[] bytes, InetAddress client) {
    public String text() {
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  /**
   * A command line the server read.
   *
   * @param moreInputWaiting whether more client bytes had already arrived when the command was
   *     handled: the client pipelined (RFC 2920)
   */
  public record ReceivedCommand(String line, InetSocketAddress client, boolean moreInputWaiting) {}

  private record Answer(int code, String text, AtomicInteger remaining) {
    static Answer of(int code, String text, int times) {
      return new Answer(code, text, new AtomicInteger(times));
    }

    /** True when this answer applies now (and counts it). */
    boolean take() {
      return remaining.get() < 0 || remaining.getAndUpdate(n -> n > 0 ? n - 1 : n) > 0;
    }

    RejectException reject() {
      return code == 421
          ? new DropConnectionException(code, text)
          : new RejectException(code, text);
    }
  }

  private static final int FOREVER = -1;

  private record ResetDuringData(int bytes, AtomicInteger remaining) {
    boolean take() {
      return remaining.getAndUpdate(n -> n > 0 ? n - 1 : n) > 0;
    }
  }

  private final SMTPServer server;
  private final InetSocketAddress address;
  private final List<String> extensions =
      new CopyOnWriteArrayList<>(List.of("PIPELINING", "8BITMIME", "SMTPUTF8"));
  private final List<ReceivedMessage> messages = new CopyOnWriteArrayList<>();
  private final List<InetSocketAddress> connections = new CopyOnWriteArrayList<>();
  private final List<ReceivedCommand> commands = new CopyOnWriteArrayList<>();
  private final Map<String, Answer> rcptFor = new ConcurrentHashMap<>();
  private final CountDownLatch closing = new CountDownLatch(1);
  private volatile Answer mailAnswer;
  private volatile Answer rcptAnswer;
  private volatile Answer dataAnswer;
  private volatile Answer greeting;
  private volatile ResetDuringData resetDuringData;
  private volatile boolean dropAfterData;
  private volatile Duration stallAfterData = Duration.ZERO;
  private volatile SSLContext startTls;
  private volatile String user;
  private volatile String password;
  private volatile List<String> authMechanisms = List.of("PLAIN", "LOGIN");

  private ScriptedSmtpServer(InetAddress bind, int port) {
    server =
        SMTPServer.port(port)
            .bindAddress(bind)
            .hostName("mx.test")
            .insertReceivedHeaders(false)
            .messageHandlerFactory(Recorder::new)
            .sessionHandler(new Connections())
            .authenticationHandlerFactory(new EasyAuthenticationHandlerFactory(this::login))
            .enableTLS(true)
            .startTlsSocketFactory(this::tlsSocket)
            .connectionTimeout(30, TimeUnit.SECONDS)
            .build();
    CommandHandler handler = server.getCommandHandler();
    handler.addCommand(new Ehlo());
    for (String verb : Set.copyOf(handler.getVerbs())) {
      handler.addCommand(new Recording(handler.getCommand(verb)));
    }
    server.start();
    address = new InetSocketAddress(bind, server.getPortAllocated());
  }

  /** Starts a server on {@code loopback} (127.0.0.x) and a free port. */
  public static ScriptedSmtpServer start(String loopback) {
    return start(loopback, 0);
  }

  /**
   * Starts a server on {@code loopback} and {@code port}: a second MX host on the port of the
   * first, since delivery to MX hosts uses one port for all of them.
   */
  public static ScriptedSmtpServer start(String loopback, int port) {
    try {
      InetAddress bind = InetAddress.getByName(loopback);
      if (!bind.isLoopbackAddress()) {
        throw new IllegalArgumentException("tests bind loopback addresses only: " + loopback);
      }
      return new ScriptedSmtpServer(bind, port);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(loopback, e);
    }
  }

  public InetSocketAddress address() {
    return address;
  }

  // ---- what the server offers

  /** Offers one more EHLO extension line, such as {@code "SIZE 1000"} or {@code "DSN"}. */
  public ScriptedSmtpServer withExtension(String line) {
    extensions.add(line);
    return this;
  }

  /** Stops offering an extension ({@code "PIPELINING"}, {@code "SMTPUTF8"}…). */
  public ScriptedSmtpServer withoutExtension(String keyword) {
    extensions.removeIf(e -> e.split(" ")[0].equalsIgnoreCase(keyword));
    return this;
  }

  /** Offers STARTTLS with this server context. */
  public ScriptedSmtpServer withStartTls(SSLContext context) {
    this.startTls = context;
    return this;
  }

  /** Offers AUTH (PLAIN and LOGIN) and refuses MAIL until the client authenticated as this user. */
  public ScriptedSmtpServer requireAuth(String user, String password) {
    this.user = user;
    this.password = password;
    return this;
  }

  /** The SASL mechanisms announced with AUTH (default PLAIN LOGIN). */
  public ScriptedSmtpServer withAuthMechanisms(String... mechanisms) {
    this.authMechanisms = List.of(mechanisms);
    return this;
  }

  // ---- how it answers

  /**
   * Greets the next {@code times} connections with this reply instead of 220, and closes them (a
   * 421 storm); 0 greets with 220 again.
   */
  public ScriptedSmtpServer answerConnections(int code, String text, int times) {
    greeting = Answer.of(code, text, times);
    return this;
  }

  /** Answers every MAIL with this reply ({@code text} includes the enhanced status code). */
  public ScriptedSmtpServer answerMail(int code, String text) {
    return answerMail(code, text, FOREVER);
  }

  /** Answers the next {@code times} MAILs with this reply; a 421 also closes the connection. */
  public ScriptedSmtpServer answerMail(int code, String text, int times) {
    mailAnswer = Answer.of(code, text, times);
    return this;
  }

  /** Answers the next {@code times} RCPTs with this reply. */
  public ScriptedSmtpServer answerRcpt(int code, String text, int times) {
    rcptAnswer = Answer.of(code, text, times);
    return this;
  }

  /** Answers every RCPT for this address with this reply. */
  public ScriptedSmtpServer answerRcptFor(String address, int code, String text) {
    rcptFor.put(address.toLowerCase(Locale.ROOT), Answer.of(code, text, FOREVER));
    return this;
  }

  /** Answers the final dot of every message with this reply. */
  public ScriptedSmtpServer answerData(int code, String text) {
    return answerData(code, text, FOREVER);
  }

  /** Answers the final dot of the next {@code times} messages with this reply. */
  public ScriptedSmtpServer answerData(int code, String text, int times) {
    dataAnswer = Answer.of(code, text, times);
    return this;
  }

  /** Closes the connection after the final dot, without a reply. */
  public ScriptedSmtpServer dropAfterData() {
    dropAfterData = true;
    return this;
  }

  /**
   * In the next {@code times} messages, resets the connection (TCP RST, no reply) once {@code
   * bytes} of the message text have arrived: the message is not taken.
   */
  public ScriptedSmtpServer resetDuringData(int bytes, int times) {
    resetDuringData = new ResetDuringData(bytes, new AtomicInteger(times));
    return this;
  }

  /** Waits this long after the final dot before answering (or until {@link #close()}). */
  public ScriptedSmtpServer stallAfterData(Duration stall) {
    stallAfterData = stall;
    return this;
  }

  // ---- what it got

  /** The messages accepted so far, in order. */
  public List<ReceivedMessage> messages() {
    return List.copyOf(messages);
  }

  /** The remote address of every connection so far, in order. */
  public List<InetSocketAddress> connections() {
    return List.copyOf(connections);
  }

  /** Every command line read so far, in order (AUTH lines included, as sent). */
  public List<ReceivedCommand> commands() {
    return List.copyOf(commands);
  }

  /** The command lines that start with {@code verb} (case-insensitive), in order. */
  public List<String> commandLines(String verb) {
    List<String> lines = new ArrayList<>();
    for (ReceivedCommand c : commands) {
      if (c.line().regionMatches(true, 0, verb, 0, verb.length())) {
        lines.add(c.line());
      }
    }
    return lines;
  }

  /** Waits until at least {@code n} messages were accepted; fails the test after {@code wait}. */
  public List<ReceivedMessage> awaitMessages(int n, Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    synchronized (messages) {
      while (messages.size() < n) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              "expected " + n + " messages within " + wait + ", got " + messages.size());
        }
        TimeUnit.NANOSECONDS.timedWait(messages, left);
      }
    }
    return messages();
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop();
  }

  // ---- SubEthaSMTP plumbing

  private void login(String username, String pass, MessageContext context)
      throws LoginFailedException {
    if (user == null || !user.equals(username) || !password.equals(pass)) {
      throw new LoginFailedException();
    }
  }

  private SSLSocket tlsSocket(Socket socket) throws IOException {
    SSLContext context = startTls;
    if (context == null) {
      throw new IOException("STARTTLS not configured");
    }
    InetSocketAddress remote = (InetSocketAddress) socket.getRemoteSocketAddress();
    SSLSocket ssl =
        (SSLSocket)
            context
                .getSocketFactory()
                .createSocket(socket, remote.getHostString(), socket.getPort(), true);
    ssl.setUseClientMode(false);
    ssl.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
    return ssl;
  }

  private final class Connections implements SessionHandler {
    @Override
    public SessionAcceptance accept(Session session) {
      connections.add(session.getRealRemoteAddress());
      Answer answer = greeting;
      return answer != null && answer.take()
          ? SessionAcceptance.failure(answer.code(), answer.text())
          : SessionAcceptance.success();
    }

    @Override
    public void onSessionEnd(Session session) {}
  }

  /** One transaction's worth of envelope and text, recorded when the server accepts it. */
  private final class Recorder implements MessageHandler {
    private final Session session;
    private final List<String> recipients = new ArrayList<>();
    private String sender;

    Recorder(MessageContext context) {
      this.session = (Session) context;
    }

    @Override
    public void from(String from) throws RejectException {
      if (user != null && !session.isAuthenticated()) {
        throw new RejectException(530, "5.7.0 Authentication required");
      }
      Answer answer = mailAnswer;
      if (answer != null && answer.take()) {
        throw answer.reject();
      }
      sender = from;
    }

    @Override
    public void recipient(String recipient) throws RejectException {
      Answer scripted = rcptFor.get(recipient.toLowerCase(Locale.ROOT));
      if (scripted != null && scripted.take()) {
        throw scripted.reject();
      }
      Answer answer = rcptAnswer;
      if (answer != null && answer.take()) {
        throw answer.reject();
      }
      recipients.add(recipient);
    }

    @Override
    public String data(InputStream data) throws RejectException, IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      ResetDuringData reset = resetDuringData;
      if (reset != null && reset.take()) {
        data.readNBytes(reset.bytes());
        Socket socket = session.getSocket();
        socket.setSoLinger(true, 0); // close with RST, as a crashing peer's kernel does
        socket.close();
        throw new DropConnectionException(421, "4.4.2 reset");
      }
      data.transferTo(bytes);
      if (dropAfterData) {
        session.getSocket().close();
        throw new DropConnectionException(421, "4.4.2 dropped");
      }
      if (!stallAfterData.isZero()) {
        try {
          closing.await(stallAfterData.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      Answer answer = dataAnswer;
      if (answer != null && answer.take()) {
        throw answer.reject();
      }
      SocketAddress remote = session.getRealRemoteAddress();
      synchronized (messages) {
        messages.add(
            new ReceivedMessage(
                sender,
                List.copyOf(recipients),
                bytes.toByteArray(),
                ((InetSocketAddress) remote).getAddress()));
        messages.notifyAll();
      }
      return null;
    }

    @Override
    public void done() {}
  }

  /** EHLO with the extensions this server is told to offer. */
  private final class Ehlo extends BaseCommand {
    Ehlo() {
      super("EHLO", "Introduce yourself.", "<hostname>");
    }

    @Override
    public void execute(String commandString, Session session) throws IOException {
      String[] args = getArgs(commandString);
      if (args.length < 2) {
        session.sendResponse("501 Syntax: EHLO hostname");
        return;
      }
      session.resetMailTransaction();
      session.setHelo(args[1]);
      List<String> lines = new ArrayList<>();
      lines.add(session.getServer().getHostName());
      lines.addAll(extensions);
      if (startTls != null && !session.isTLSStarted()) {
        lines.add("STARTTLS");
      }
      if (user != null && !authMechanisms.isEmpty()) {
        lines.add("AUTH " + String.join(" ", authMechanisms));
      }
      StringBuilder reply = new StringBuilder();
      for (int i = 0; i < lines.size(); i++) {
        if (i > 0) {
          reply.append("\r\n");
        }
        reply.append(i == lines.size() - 1 ? "250 " : "250-").append(lines.get(i));
      }
      session.sendResponse(reply.toString());
    }
  }

  /** Records each command line, and whether the client had sent more behind it. */
  private final class Recording implements Command {
    private final Command delegate;

    Recording(Command delegate) {
      this.delegate = delegate;
    }

    @Override
    public void execute(String commandString, Session session)
        throws IOException, DropConnectionException {
      boolean more = session.getRawInput().available() > 0;
      commands.add(new ReceivedCommand(commandString, session.getRealRemoteAddress(), more));
      delegate.execute(commandString, session);
    }

    @Override
    public HelpMessage getHelp() throws CommandException {
      return delegate.getHelp();
    }

    @Override
    public String getName() {
      return delegate.getName();
    }
  }
}
