package dev.sluice.relay.smtp.in;

import dev.sluice.relay.smtp.SmtpReply;
import dev.sluice.relay.smtp.in.SessionEffect.Reply;
import dev.sluice.relay.smtp.in.SmtpCommand.Verb;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The SMTP server state machine of one connection (RFC 5321, with PIPELINING, SIZE, 8BITMIME,
 * SMTPUTF8, ENHANCEDSTATUSCODES, STARTTLS, AUTH PLAIN/LOGIN and DSN). Pure: it takes framed lines
 * and returns {@link SessionEffect}s; the Netty handler carries them out and reports back through
 * {@link #tlsStarted}, {@link #authenticated} and {@link #stored}. Not thread-safe: one per
 * connection, used from its event loop.
 */
public final class SessionState {
  private static final Set<String> MAIL_PARAMS =
      Set.of("SIZE", "BODY", "SMTPUTF8", "RET", "ENVID", "AUTH");
  private static final Set<String> RCPT_PARAMS = Set.of("NOTIFY", "ORCPT");

  private enum Phase {
    CONNECTED,
    GREETED,
    DATA,
    AUTH_PLAIN,
    AUTH_LOGIN_USER,
    AUTH_LOGIN_PASSWORD,
    TLS_PENDING,
    VERIFYING,
    STORING,
    CLOSED
  }

  private final SessionSettings settings;
  private final ListenerMode mode;
  private final boolean tlsAvailable;
  private final SessionPolicy policy;
  private final String clientAddress;
  private final boolean trusted;

  private Phase phase = Phase.CONNECTED;
  private String helo = "";
  private boolean extended;
  private Optional<String> tls = Optional.empty();
  private Optional<String> authUser = Optional.empty();
  private Optional<String> tenant = Optional.empty();
  private String pendingUsername;
  private int errors;
  private boolean stopAfterStore;

  private String sender;
  private Map<String, String> mailParameters = Map.of();
  private final List<Transaction.Recipient> recipients = new ArrayList<>();
  private DataReader data;

  /**
   * @param tls the TLS session description when the connection is encrypted from the start
   *     (submissions), else empty
   */
  public SessionState(
      SessionSettings settings,
      ListenerMode mode,
      boolean tlsAvailable,
      SessionPolicy policy,
      String clientAddress,
      boolean trusted,
      Optional<String> tls) {
    this.settings = settings;
    this.mode = mode;
    this.tlsAvailable = tlsAvailable;
    this.policy = policy;
    this.clientAddress = clientAddress;
    this.trusted = trusted;
    this.tls = tls;
  }

  /** The greeting, or 421 and goodbye while the spool cannot store anything. */
  public List<SessionEffect> connected() {
    if (!policy.available()) {
      phase = Phase.CLOSED;
      return List.of(
          new Reply(SmtpReply.of(421, "4.3.2", "Mail storage unavailable, try again later")),
          new SessionEffect.Close());
    }
    return reply(SmtpReply.lines(220, List.of(settings.hostname() + " ESMTP Sluice")));
  }

  /** Whether the next lines are message text. */
  public boolean inData() {
    return phase == Phase.DATA;
  }

  /** Whether the session waits for {@link #authenticated} or {@link #stored}. */
  public boolean waiting() {
    return phase == Phase.VERIFYING || phase == Phase.STORING;
  }

  /** Who the client is now. */
  public ClientInfo client() {
    return new ClientInfo(clientAddress, helo, extended, tls, authUser, tenant, trusted);
  }

  /** Takes one framed line of input. */
  public List<SessionEffect> line(SmtpLine line) {
    switch (phase) {
      case CLOSED:
      case TLS_PENDING: // CVE-2011-0411: what came after STARTTLS in plaintext is dropped
      case VERIFYING:
      case STORING:
        return List.of();
      case DATA:
        return dataLine(line);
      default:
        break;
    }
    boolean authExchange =
        phase == Phase.AUTH_PLAIN
            || phase == Phase.AUTH_LOGIN_USER
            || phase == Phase.AUTH_LOGIN_PASSWORD;
    boolean tooLong = line.longerThan(settings.maxCommandLine());
    if (tooLong || !line.isClean()) {
      if (authExchange) {
        phase = Phase.GREETED; // a badly framed response ends the exchange: it failed
        pendingUsername = null;
      }
      return error(
          tooLong
              ? (authExchange ? SmtpReply.AUTH_LINE_TOO_LONG : SmtpReply.LINE_TOO_LONG)
              : SmtpReply.BARE_NEWLINE);
    }
    String text = line.text();
    if (authExchange) {
      return authResponse(text);
    }
    if (!line.isUtf8()) {
      return error(SmtpReply.NOT_UTF8);
    }
    SmtpCommand command = SmtpCommand.parse(text);
    return switch (command.verb()) {
      case EHLO, HELO -> hello(command);
      case MAIL -> mail(command.argument());
      case RCPT -> rcpt(command.argument());
      case DATA -> data(command.argument());
      case RSET -> {
        resetTransaction();
        yield reply(SmtpReply.OK);
      }
      case NOOP -> reply(SmtpReply.OK);
      case QUIT -> {
        phase = Phase.CLOSED;
        yield List.of(new Reply(SmtpReply.BYE), new SessionEffect.Close());
      }
      case VRFY -> reply(SmtpReply.of(252, "2.5.0", "Cannot VRFY user; send mail and we will try"));
      case EXPN -> reply(SmtpReply.of(502, "5.5.1", "EXPN is not supported"));
      case HELP ->
          reply(
              SmtpReply.of(
                  214,
                  "2.0.0",
                  "Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP STARTTLS AUTH"));
      case STARTTLS -> startTls(command.argument());
      case AUTH -> auth(command.argument());
      default -> error(SmtpReply.UNRECOGNIZED);
    };
  }

  private List<SessionEffect> hello(SmtpCommand command) {
    String name = command.argument().strip();
    if (name.isEmpty() || name.contains(" ") || !name.chars().allMatch(c -> c > 32 && c < 127)) {
      return error(SmtpReply.of(501, "5.5.4", "Syntax: " + command.verb() + " hostname"));
    }
    resetTransaction();
    helo = name;
    extended = command.verb() == Verb.EHLO;
    phase = Phase.GREETED;
    if (!extended) {
      return reply(SmtpReply.lines(250, List.of(settings.hostname())));
    }
    List<String> lines = new ArrayList<>();
    lines.add(settings.hostname() + " Hello " + name + " " + ClientInfo.literal(clientAddress));
    lines.add("PIPELINING");
    lines.add("SIZE " + settings.maxMessageSize());
    lines.add("8BITMIME");
    lines.add("SMTPUTF8");
    lines.add("ENHANCEDSTATUSCODES");
    lines.add("DSN");
    if (tlsAvailable && tls.isEmpty()) {
      lines.add("STARTTLS");
    }
    if (tls.isPresent()) {
      lines.add("AUTH PLAIN LOGIN"); // never before TLS: credentials only travel encrypted
    }
    lines.add("HELP");
    return reply(SmtpReply.lines(250, lines));
  }

  private List<SessionEffect> mail(String argument) {
    if (phase != Phase.GREETED) {
      return error(SmtpReply.of(503, "5.5.1", "Send EHLO or HELO first"));
    }
    if (sender != null) {
      return error(SmtpReply.of(503, "5.5.1", "Nested MAIL command"));
    }
    if (mode != ListenerMode.RELAY && authUser.isEmpty()) {
      return error(SmtpReply.of(530, "5.7.0", "Authentication required"));
    }
    PathArgument parsed = PathParser.parse(argument, "FROM");
    if (parsed instanceof PathArgument.Invalid invalid) {
      return error(invalid.reply());
    }
    PathArgument.Valid path = (PathArgument.Valid) parsed;
    Optional<SmtpReply> bad = mailParameterProblem(path);
    if (bad.isPresent()) {
      return error(bad.get());
    }
    if (!policy.accepting()) {
      return reply(SmtpReply.of(452, "4.3.1", "Insufficient system storage, try again later"));
    }
    Optional<SmtpReply> refused = policy.checkSender(client(), path.address());
    if (refused.isPresent()) {
      return reply(refused.get());
    }
    sender = path.address();
    mailParameters = path.parameters();
    return reply(SmtpReply.of(250, "2.1.0", "Sender ok"));
  }

  private Optional<SmtpReply> mailParameterProblem(PathArgument.Valid path) {
    for (Map.Entry<String, String> p : path.parameters().entrySet()) {
      String value = p.getValue();
      switch (p.getKey()) {
        case "SIZE" -> {
          if (!value.matches("[0-9]{1,19}")) {
            return Optional.of(SmtpReply.of(501, "5.5.4", "SIZE needs a number"));
          }
          // 19 digits may be past Long.MAX_VALUE: compare as BigInteger, never throw.
          if (new java.math.BigInteger(value)
                  .compareTo(java.math.BigInteger.valueOf(settings.maxMessageSize()))
              > 0) {
            return Optional.of(
                SmtpReply.of(
                    552,
                    "5.3.4",
                    "Message too big: the limit is " + settings.maxMessageSize() + " bytes"));
          }
        }
        case "BODY" -> {
          String body = value.toUpperCase(Locale.ROOT);
          if (!body.equals("7BIT") && !body.equals("8BITMIME")) {
            return Optional.of(SmtpReply.of(501, "5.5.4", "BODY must be 7BIT or 8BITMIME"));
          }
        }
        case "SMTPUTF8" -> {
          if (!value.isEmpty()) {
            return Optional.of(SmtpReply.of(501, "5.5.4", "SMTPUTF8 takes no value"));
          }
        }
        case "RET" -> {
          String ret = value.toUpperCase(Locale.ROOT);
          if (!ret.equals("FULL") && !ret.equals("HDRS")) {
            return Optional.of(SmtpReply.of(501, "5.5.4", "RET must be FULL or HDRS"));
          }
        }
        case "ENVID" -> {
          if (!Xtext.isValid(value) || value.isEmpty() || value.length() > 100) {
            return Optional.of(
                SmtpReply.of(501, "5.5.4", "ENVID must be xtext of at most 100 characters"));
          }
        }
        case "AUTH" -> {
          // RFC 4954 §5: accepted and ignored; we do not trust a submitter's claim.
        }
        default -> {
          return Optional.of(
              SmtpReply.of(555, "5.5.4", "Unsupported MAIL parameter " + p.getKey()));
        }
      }
    }
    if (path.isInternational() && !path.parameters().containsKey("SMTPUTF8")) {
      // RFC 6531: X.6.7, non-ASCII addresses not permitted for that sender/recipient.
      return Optional.of(SmtpReply.of(553, "5.6.7", "Non-ASCII address needs SMTPUTF8"));
    }
    return Optional.empty();
  }

  private List<SessionEffect> rcpt(String argument) {
    if (sender == null) {
      return error(SmtpReply.of(503, "5.5.1", "Need MAIL before RCPT"));
    }
    PathArgument parsed = PathParser.parse(argument, "TO");
    if (parsed instanceof PathArgument.Invalid invalid) {
      return error(invalid.reply());
    }
    PathArgument.Valid path = (PathArgument.Valid) parsed;
    if (path.address().isEmpty()) {
      return error(SmtpReply.of(501, "5.1.3", "A recipient address is required"));
    }
    for (Map.Entry<String, String> p : path.parameters().entrySet()) {
      if (!RCPT_PARAMS.contains(p.getKey())) {
        return error(SmtpReply.of(555, "5.5.4", "Unsupported RCPT parameter " + p.getKey()));
      }
      if (p.getKey().equals("NOTIFY") && !Xtext.isValidNotify(p.getValue())) {
        return error(
            SmtpReply.of(
                501, "5.5.4", "NOTIFY must be NEVER or a list of SUCCESS, FAILURE, DELAY"));
      }
      if (p.getKey().equals("ORCPT") && !Xtext.isValidOrcpt(p.getValue())) {
        return error(SmtpReply.of(501, "5.5.4", "ORCPT must be addr-type;xtext"));
      }
    }
    if (path.isInternational() && !mailParameters.containsKey("SMTPUTF8")) {
      return error(SmtpReply.of(553, "5.6.7", "Non-ASCII address needs SMTPUTF8 on MAIL FROM"));
    }
    if (!trusted && authUser.isEmpty()) {
      return reply(
          SmtpReply.of(
              554, "5.7.1", "Relaying denied: authenticate or send from a trusted network"));
    }
    if (recipients.size() >= settings.maxRecipients()) {
      return reply(SmtpReply.of(452, "4.5.3", "Too many recipients"));
    }
    Optional<SmtpReply> refused = policy.checkRecipient(client(), sender, path.address());
    if (refused.isPresent()) {
      return reply(refused.get());
    }
    recipients.add(new Transaction.Recipient(path.address(), path.parameters()));
    return reply(SmtpReply.of(250, "2.1.5", "Recipient ok"));
  }

  private List<SessionEffect> data(String argument) {
    if (sender == null) {
      return error(SmtpReply.of(503, "5.5.1", "Need MAIL and RCPT before DATA"));
    }
    if (recipients.isEmpty()) {
      return error(SmtpReply.of(554, "5.5.1", "No valid recipients"));
    }
    if (!argument.isEmpty()) {
      return error(SmtpReply.of(501, "5.5.4", "DATA takes no argument"));
    }
    phase = Phase.DATA;
    data = new DataReader(settings.maxMessageSize(), settings.maxDataLine());
    return reply(SmtpReply.START_DATA);
  }

  private List<SessionEffect> dataLine(SmtpLine line) {
    if (!data.accept(line)) {
      return List.of();
    }
    DataReader.Outcome outcome = data.outcome();
    data = null;
    if (!outcome.accepted()) {
      resetTransaction();
      phase = Phase.GREETED;
      return reply(outcome.refusal());
    }
    Transaction transaction =
        new Transaction(sender, mailParameters, recipients, outcome.body(), client());
    phase = Phase.STORING;
    return List.of(new SessionEffect.Store(transaction));
  }

  /**
   * The spool's answer for the message handed over by {@link SessionEffect.Store}; followed by the
   * 421 and the close when the server stopped meanwhile.
   */
  public List<SessionEffect> stored(Optional<String> queueId) {
    resetTransaction();
    Reply answer =
        new Reply(
            queueId
                .map(id -> SmtpReply.of(250, "2.0.0", "Ok: queued as " + id))
                .orElse(
                    SmtpReply.of(452, "4.3.1", "Insufficient system storage, try again later")));
    if (stopAfterStore) {
      phase = Phase.CLOSED;
      return List.of(answer, new Reply(SmtpReply.SHUTTING_DOWN), new SessionEffect.Close());
    }
    phase = Phase.GREETED;
    return List.of(answer);
  }

  private List<SessionEffect> startTls(String argument) {
    if (!tlsAvailable || tls.isPresent()) {
      return error(
          tls.isPresent()
              ? SmtpReply.of(503, "5.5.1", "TLS already active")
              : SmtpReply.of(502, "5.5.1", "STARTTLS not available"));
    }
    if (!argument.isEmpty()) {
      return error(SmtpReply.of(501, "5.5.4", "STARTTLS takes no argument"));
    }
    resetTransaction();
    phase = Phase.TLS_PENDING;
    return List.of(new Reply(SmtpReply.READY_FOR_TLS), new SessionEffect.StartTls());
  }

  /** The TLS handshake finished; RFC 3207 §4.2: forget everything, the client must EHLO again. */
  public void tlsStarted(String description) {
    tls = Optional.of(description);
    helo = "";
    extended = false;
    phase = Phase.CONNECTED;
  }

  private List<SessionEffect> auth(String argument) {
    if (phase != Phase.GREETED || !extended) {
      return error(SmtpReply.of(503, "5.5.1", "Send EHLO first"));
    }
    if (tls.isEmpty()) {
      return error(
          SmtpReply.of(
              538, "5.7.11", "Encryption required for requested authentication mechanism"));
    }
    if (authUser.isPresent() || sender != null) {
      return error(
          SmtpReply.of(
              503,
              "5.5.1",
              authUser.isPresent()
                  ? "Already authenticated"
                  : "AUTH not allowed during a transaction"));
    }
    if (argument.isBlank()) {
      return error(SmtpReply.of(501, "5.5.4", "Syntax: AUTH mechanism [initial-response]"));
    }
    String[] parts = argument.strip().split(" ", 2);
    String mechanism = parts[0].toUpperCase(Locale.ROOT);
    Optional<String> initial = parts.length > 1 ? Optional.of(parts[1].strip()) : Optional.empty();
    switch (mechanism) {
      case "PLAIN" -> {
        if (initial.isEmpty()) {
          phase = Phase.AUTH_PLAIN;
          return reply(SmtpReply.lines(334, List.of("")));
        }
        return plain(initial.get().equals("=") ? "" : initial.get());
      }
      case "LOGIN" -> {
        if (initial.isEmpty()) {
          phase = Phase.AUTH_LOGIN_USER;
          return reply(SmtpReply.lines(334, List.of("VXNlcm5hbWU6"))); // "Username:"
        }
        phase = Phase.AUTH_LOGIN_USER;
        return authResponse(initial.get());
      }
      default -> {
        return error(
            SmtpReply.of(504, "5.5.4", "Unrecognized authentication type; use PLAIN or LOGIN"));
      }
    }
  }

  private List<SessionEffect> authResponse(String text) {
    Phase step = phase;
    phase = Phase.GREETED;
    if (text.equals("*")) {
      return error(SmtpReply.of(501, "5.0.0", "Authentication cancelled"));
    }
    if (step == Phase.AUTH_PLAIN) {
      return plain(text);
    }
    Optional<String> decoded = Base64Text.decode(text);
    if (decoded.isEmpty()) {
      return error(SmtpReply.of(501, "5.5.2", "Cannot decode the AUTH response (base64 expected)"));
    }
    switch (step) {
      case AUTH_LOGIN_USER:
        pendingUsername = decoded.get();
        phase = Phase.AUTH_LOGIN_PASSWORD;
        return reply(SmtpReply.lines(334, List.of("UGFzc3dvcmQ6"))); // "Password:"
      default:
        String username = pendingUsername;
        pendingUsername = null;
        phase = Phase.VERIFYING;
        return List.of(new SessionEffect.VerifyCredentials(username, decoded.get()));
    }
  }

  /** RFC 4616: authzid NUL authcid NUL password; an authzid other than the authcid is refused. */
  private List<SessionEffect> plain(String base64) {
    Optional<String> decoded = Base64Text.decode(base64);
    if (decoded.isEmpty()) {
      return error(SmtpReply.of(501, "5.5.2", "Cannot decode the AUTH response (base64 expected)"));
    }
    String[] fields = decoded.get().split("\0", -1);
    if (fields.length != 3 || fields[1].isEmpty()) {
      return error(
          SmtpReply.of(501, "5.5.2", "AUTH PLAIN expects authzid NUL authcid NUL password"));
    }
    if (!fields[0].isEmpty() && !fields[0].equals(fields[1])) {
      return reply(SmtpReply.of(535, "5.7.8", "Authentication credentials invalid"));
    }
    phase = Phase.VERIFYING;
    return List.of(new SessionEffect.VerifyCredentials(fields[1], fields[2]));
  }

  /** The outcome of {@link SessionEffect.VerifyCredentials}. */
  public List<SessionEffect> authenticated(String username, Authenticator.Outcome outcome) {
    if (phase == Phase.CLOSED) {
      return List.of(); // the server stopped meanwhile: the client already has its 421
    }
    phase = Phase.GREETED;
    if (outcome instanceof Authenticator.Outcome.Accepted accepted) {
      authUser = Optional.of(username);
      tenant = Optional.of(accepted.tenant());
      return reply(SmtpReply.of(235, "2.7.0", "Authentication successful"));
    }
    if (outcome instanceof Authenticator.Outcome.Throttled) {
      return error(
          SmtpReply.of(
              454, "4.7.0", "Too many failed authentications from your address; try later"));
    }
    if (outcome instanceof Authenticator.Outcome.Unavailable) {
      return reply(SmtpReply.of(454, "4.7.0", "Temporary authentication failure")); // RFC 4954 §6
    }
    return error(SmtpReply.of(535, "5.7.8", "Authentication credentials invalid"));
  }

  /**
   * The server is stopping: say so and close. A session waiting for the spool says so only after
   * the answer to its message ({@link #stored}): a 421 first would make the client send again a
   * message the spool then keeps.
   */
  public List<SessionEffect> shutdown() {
    if (phase == Phase.STORING) {
      stopAfterStore = true;
      return List.of();
    }
    phase = Phase.CLOSED;
    return List.of(new Reply(SmtpReply.SHUTTING_DOWN), new SessionEffect.Close());
  }

  private void resetTransaction() {
    sender = null;
    mailParameters = Map.of();
    recipients.clear();
    data = null;
  }

  private List<SessionEffect> error(SmtpReply reply) {
    errors++;
    if (errors > settings.maxErrors()) {
      phase = Phase.CLOSED;
      return List.of(
          new Reply(reply), new Reply(SmtpReply.TOO_MANY_ERRORS), new SessionEffect.Close());
    }
    return reply(reply);
  }

  private static List<SessionEffect> reply(SmtpReply reply) {
    return List.of(new Reply(reply));
  }
}
