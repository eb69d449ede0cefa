package dev.sluice.relay.smtp.in;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Drives a {@link SessionState} the way the Netty handler does, from raw client bytes, so tests
 * read as transcripts: {@code send("MAIL FROM:<a@b>\r\n")} returns the replies as wire text.
 */
final class SessionDriver {
  final SessionState session;
  final List<Transaction> stored = new ArrayList<>();
  final List<SessionEffect.VerifyCredentials> credentials = new ArrayList<>();
  boolean closed;
  boolean tlsRequested;
  private final StringBuilder pending = new StringBuilder();
  private final int maxLine;

  SessionDriver(SessionState session, SessionSettings settings) {
    this.session = session;
    this.maxLine = settings.maxLine();
  }

  static SessionDriver relay(boolean trusted) {
    SessionSettings settings = SessionSettings.defaults("mx.test");
    return new SessionDriver(
        new SessionState(
            settings,
            ListenerMode.RELAY,
            true,
            SessionPolicy.OPEN,
            "192.0.2.7",
            trusted,
            Optional.empty()),
        settings);
  }

  static SessionDriver of(SessionState session, SessionSettings settings) {
    return new SessionDriver(session, settings);
  }

  String greet() {
    return render(session.connected());
  }

  /** Feeds raw bytes (several lines may be pipelined) and returns every reply they caused. */
  String send(String raw) {
    StringBuilder out = new StringBuilder();
    for (SmtpLine line : frame(raw)) {
      out.append(render(session.line(line)));
    }
    return out.toString();
  }

  /** Frames like {@link SmtpLineDecoder}: split at LF, flag bare LF and stray CR. */
  private List<SmtpLine> frame(String raw) {
    pending.append(raw);
    List<SmtpLine> lines = new ArrayList<>();
    int lf;
    while ((lf = pending.indexOf("\n")) >= 0) {
      String line = pending.substring(0, lf);
      pending.delete(0, lf + 1);
      boolean crlf = line.endsWith("\r");
      String content = crlf ? line.substring(0, line.length() - 1) : line;
      byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
      lines.add(
          bytes.length > maxLine
              ? new SmtpLine(new byte[0], !crlf, false, true)
              : new SmtpLine(bytes, !crlf, content.indexOf('\r') >= 0, false));
      if (session.waiting()) {
        break; // the handler queues the rest until the spool answers
      }
    }
    return lines;
  }

  String render(List<SessionEffect> effects) {
    StringBuilder out = new StringBuilder();
    for (SessionEffect e : effects) {
      if (e instanceof SessionEffect.Reply r) {
        out.append(r.reply().wire());
      } else if (e instanceof SessionEffect.Store s) {
        stored.add(s.transaction());
        out.append(render(session.stored(Optional.of("Q" + stored.size()))));
      } else if (e instanceof SessionEffect.VerifyCredentials v) {
        credentials.add(v);
        boolean ok = v.username().equals("acme") && v.password().equals("s3cret");
        out.append(
            render(
                session.authenticated(
                    v.username(),
                    ok
                        ? new Authenticator.Outcome.Accepted("acme-tenant")
                        : new Authenticator.Outcome.Rejected())));
      } else if (e instanceof SessionEffect.Close) {
        closed = true;
      } else if (e instanceof SessionEffect.StartTls) {
        tlsRequested = true;
      }
    }
    return out.toString();
  }
}
