package dev.sluice.relay.queue;

import dev.sluice.relay.dsn.DsnMessage;
import dev.sluice.relay.dsn.DsnReport;
import dev.sluice.relay.dsn.RecipientStatus;
import dev.sluice.relay.smtp.in.Xtext;
import dev.sluice.relay.spool.Spool;
import dev.sluice.relay.spool.SpoolEntry;
import dev.sluice.relay.spool.SpoolEnvelope;
import dev.sluice.relay.spool.SpoolRecipient;
import dev.sluice.relay.suppress.SuppressionList;
import dev.sluice.routing.bounce.BounceCategory;
import dev.sluice.routing.bounce.BounceClassifier;
import dev.sluice.routing.outcome.Stage;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The {@link Reporter} of the running server: puts invalid recipients that hard-bounced on their
 * tenant's suppression list, and writes one DSN (RFC 3464) per round to the envelope sender for the
 * recipients that asked for one (RFC 3461 NOTIFY) — failures by default, successes when asked and
 * the next hop could not report them itself. A DSN goes out with the null sender, so a DSN that
 * fails in turn is never answered with another one (no bounce loops); nor is a message that had the
 * null sender. The DSN is in the spool before the original's record changes.
 */
public final class Bounces implements Reporter {
  private static final System.Logger LOG = System.getLogger("dev.sluice.delivery");

  private final Spool spool;
  private final Consumer<SpoolEntry> submit;
  private final SuppressionList suppressions;
  private final String hostname;
  private final Clock clock;

  /**
   * @param submit schedules a stored DSN for delivery
   */
  public Bounces(
      Spool spool,
      Consumer<SpoolEntry> submit,
      SuppressionList suppressions,
      String hostname,
      Clock clock) {
    this.spool = spool;
    this.submit = submit;
    this.suppressions = suppressions;
    this.hostname = hostname;
    this.clock = clock;
  }

  @Override
  public CompletableFuture<Void> report(JobReport report) {
    if (report.bounced().isEmpty() && report.delivered().isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    Instant now = clock.instant();
    suppress(report, now);
    SpoolEnvelope original = report.entry().envelope();
    List<RecipientStatus> statuses = new ArrayList<>();
    for (Bounce b : report.bounced()) {
      addIfWanted(statuses, b.outcome(), RecipientStatus.Action.FAILED, now);
    }
    for (RecipientOutcome o : report.delivered()) {
      if (!o.dsnPassedOn()) {
        addIfWanted(statuses, o, RecipientStatus.Action.RELAYED, now);
      }
    }
    if (statuses.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    if (original.sender().isEmpty()) {
      LOG.log(
          Level.INFO,
          "no_dsn id="
              + report.entry().id().value()
              + " detail=\"the message had the null sender\"");
      return CompletableFuture.completedFuture(null);
    }
    try {
      return store(report.entry(), statuses, now);
    } catch (IOException e) {
      // The original is read again after a restart and the report made then: not lost.
      LOG.log(
          Level.ERROR, "dsn_failed id=" + report.entry().id().value() + " detail=\"" + e + "\"");
      return CompletableFuture.failedFuture(e);
    }
  }

  private void suppress(JobReport report, Instant now) {
    for (Bounce b : report.bounced()) {
      RecipientOutcome o = b.outcome();
      // Only a refusal of the recipient itself says the address is bad: a 5.1.x to MAIL (the
      // sender) or a DNS verdict on the domain does not.
      boolean aboutRecipient = o.stage() == Stage.RCPT || o.stage() == Stage.DATA_END;
      if (b.expired()
          || !aboutRecipient
          || BounceClassifier.classify(o.reply().code(), o.reply().status(), o.reply().toString())
              != BounceCategory.INVALID_RECIPIENT) {
        continue;
      }
      try {
        suppressions.add(b.tenant(), o.recipient().address(), o.describe(), now);
      } catch (IOException e) {
        LOG.log(Level.ERROR, "suppression list: " + e);
      }
    }
  }

  private static void addIfWanted(
      List<RecipientStatus> out, RecipientOutcome o, RecipientStatus.Action action, Instant now) {
    SpoolRecipient r = o.recipient();
    if (!DsnMessage.wanted(r.dsnNotify(), action)) {
      return;
    }
    String status = o.reply().status().isEmpty() ? generic(o.reply().code()) : o.reply().status();
    out.add(
        new RecipientStatus(
            r.address(),
            r.orcpt() == null ? null : Xtext.decode(r.orcpt()),
            action,
            status,
            remoteMta(o.host()),
            o.reply().toString(),
            now));
  }

  /** {@code mx1.example.net} of {@code mx1.example.net[192.0.2.7]}: the DSN names the host. */
  private static String remoteMta(String host) {
    int bracket = host.indexOf('[');
    String name = bracket < 0 ? host : host.substring(0, bracket);
    return name.isEmpty() ? null : name;
  }

  private static String generic(int code) {
    return code < 300 ? "2.0.0" : code < 500 ? "4.0.0" : "5.0.0";
  }

  private CompletableFuture<Void> store(
      SpoolEntry entry, List<RecipientStatus> statuses, Instant now) throws IOException {
    SpoolEnvelope original = entry.envelope();
    ByteBuffer body = spool.readBody(entry.id());
    DsnReport report =
        new DsnReport(
            hostname,
            "MAILER-DAEMON@" + hostname,
            original.sender(),
            entry.id().value(),
            original.envid() == null ? null : Xtext.decode(original.envid()),
            original.ret() == null ? null : original.ret().toUpperCase(Locale.ROOT),
            original.receivedAt(),
            statuses,
            body);
    byte[] dsn =
        DsnMessage.build(
            report,
            ZonedDateTime.ofInstant(now, clock.getZone()),
            "<" + UUID.randomUUID() + "@" + hostname + ">");
    SpoolEnvelope envelope =
        SpoolEnvelope.local(
            "", SpoolRecipient.of(original.sender()), original.tenant(), hostname, now, dsn.length);
    return spool
        .store(envelope, ByteBuffer.wrap(dsn))
        .thenAccept(
            stored -> {
              LOG.log(
                  Level.INFO,
                  "dsn id="
                      + stored.id().value()
                      + " original="
                      + entry.id().value()
                      + " rcpt=<"
                      + original.sender()
                      + "> recipients="
                      + statuses.size());
              submit.accept(stored);
            });
  }
}
