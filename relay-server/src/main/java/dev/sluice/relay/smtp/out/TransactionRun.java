package dev.sluice.relay.smtp.out;

import dev.sluice.relay.smtp.SmtpReply;
import dev.sluice.routing.outcome.Stage;
import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * One transaction on an open connection (RFC 5321 §3.3): MAIL, RCPT per recipient, DATA, text,
 * final dot; all commands in one write when the server offers PIPELINING (RFC 2920 §3.1). Replies
 * are handled strictly in order. A protocol-level outcome, whatever it is, ends as a {@link
 * TransactionResult}; only a broken connection or a timeout fails the future, with the recipients
 * already refused (at MAIL, at RCPT or by the client's own checks) in {@link
 * OutboundException#decided()}. After a failed transaction RSET is sent so the connection can take
 * another. Runs on the event loop.
 */
final class TransactionRun {
  /**
   * What a run ended with.
   *
   * @param clean whether the session is back at its initial state, ready for another MAIL
   */
  record Outcome(TransactionResult result, boolean clean) {}

  private static final SmtpReply NO_RECIPIENTS = SmtpReply.of(554, "5.5.1", "No valid recipients");

  private final ClientHandler handler;
  private final Channel channel;
  private final ClientTimeouts timeouts;
  private final OutboundMessage message;
  private final TransactionPlan plan;
  private final RecipientResult[] results;
  private final List<Integer> accepted = new ArrayList<>();
  private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
  private SmtpReply mailRefused;

  private TransactionRun(
      ClientHandler handler,
      Channel channel,
      ClientTimeouts timeouts,
      OutboundMessage message,
      TransactionPlan plan) {
    this.handler = handler;
    this.channel = channel;
    this.timeouts = timeouts;
    this.message = message;
    this.plan = plan;
    this.results = new RecipientResult[plan.recipients().size()];
  }

  static CompletableFuture<Outcome> start(
      ClientHandler handler,
      Channel channel,
      ClientTimeouts timeouts,
      EhloCapabilities caps,
      String hostName,
      OutboundMessage message) {
    TransactionPlan plan = TransactionPlan.of(message, caps, hostName);
    TransactionRun run = new TransactionRun(handler, channel, timeouts, message, plan);
    run.begin(caps.pipelining());
    return run.outcome;
  }

  private void begin(boolean pipelining) {
    List<TransactionPlan.Step> steps = plan.recipients();
    if (plan.refused().isPresent()) {
      for (int i = 0; i < results.length; i++) {
        results[i] = new RecipientResult(steps.get(i).recipient(), Stage.MAIL, plan.refusal());
      }
      finish(true);
      return;
    }
    List<Integer> sent = new ArrayList<>();
    for (int i = 0; i < results.length; i++) {
      TransactionPlan.Step step = steps.get(i);
      if (step.command() == null) {
        results[i] = new RecipientResult(step.recipient(), Stage.RCPT, step.refusal());
      } else {
        sent.add(i);
      }
    }
    if (sent.isEmpty()) {
      finish(true);
      return;
    }
    if (pipelining) {
      CompletableFuture<SmtpReply> mail =
          handler.write(plan.mail(), Stage.MAIL, timeouts.command());
      List<CompletableFuture<SmtpReply>> rcpts = new ArrayList<>();
      for (int i : sent) {
        rcpts.add(handler.write(steps.get(i).command(), Stage.RCPT, timeouts.command()));
      }
      CompletableFuture<SmtpReply> data = handler.write("DATA", Stage.DATA, timeouts.dataStart());
      channel.flush();
      await(mail, r -> onMail(r, sent, rcpts, data, true));
    } else {
      await(
          handler.command(plan.mail(), Stage.MAIL, timeouts.command()),
          r -> onMail(r, sent, null, null, false));
    }
  }

  private void onMail(
      SmtpReply reply,
      List<Integer> sent,
      List<CompletableFuture<SmtpReply>> rcpts,
      CompletableFuture<SmtpReply> data,
      boolean pipelined) {
    if (!reply.isPositive()) {
      mailRefused = reply;
      for (int i : sent) {
        results[i] = new RecipientResult(plan.recipients().get(i).recipient(), Stage.MAIL, reply);
      }
      if (reply.code() == 421 || !pipelined) {
        endFailed(reply);
        return;
      }
    }
    onRcpt(0, sent, rcpts, data, pipelined);
  }

  /** Handles the replies to RCPT number {@code n} and on, then DATA. */
  private void onRcpt(
      int n,
      List<Integer> sent,
      List<CompletableFuture<SmtpReply>> rcpts,
      CompletableFuture<SmtpReply> data,
      boolean pipelined) {
    if (n == sent.size()) {
      afterRecipients(data, pipelined);
      return;
    }
    int index = sent.get(n);
    CompletableFuture<SmtpReply> reply =
        pipelined
            ? rcpts.get(n)
            : handler.command(
                plan.recipients().get(index).command(), Stage.RCPT, timeouts.command());
    await(
        reply,
        r -> {
          if (r.code() == 421) {
            if (mailRefused == null) {
              abort(Stage.RCPT, r);
            } else {
              finish(false);
              channel.close();
            }
            return;
          }
          if (mailRefused == null) {
            if (r.isPositive()) {
              accepted.add(index);
            } else {
              results[index] =
                  new RecipientResult(plan.recipients().get(index).recipient(), Stage.RCPT, r);
            }
          }
          onRcpt(n + 1, sent, rcpts, data, pipelined);
        });
  }

  private void afterRecipients(CompletableFuture<SmtpReply> pipelinedData, boolean pipelined) {
    if (accepted.isEmpty() || mailRefused != null) {
      if (!pipelined) {
        endFailed(mailRefused != null ? mailRefused : NO_RECIPIENTS);
        return;
      }
      // RFC 2920 §3.1: DATA went out with the RCPTs; expect its 503/554, end it if it said 354.
      await(
          pipelinedData,
          r -> {
            if (r.code() == 354) {
              await(
                  handler.command(".", Stage.DATA_END, timeouts.dataEnd()), end -> endFailed(end));
            } else {
              endFailed(r);
            }
          });
      return;
    }
    CompletableFuture<SmtpReply> data =
        pipelined ? pipelinedData : handler.command("DATA", Stage.DATA, timeouts.dataStart());
    await(
        data,
        r -> {
          if (r.code() != 354) {
            if (r.code() == 421) {
              abort(Stage.DATA, r);
              return;
            }
            settleAccepted(Stage.DATA, r);
            endFailed(r);
            return;
          }
          BodyWriter.write(handler, channel, message.body(), timeouts.dataBlock())
              .whenComplete(
                  (ok, failure) -> {
                    if (failure != null) {
                      fail(failure);
                      return;
                    }
                    await(handler.expect(Stage.DATA_END, timeouts.dataEnd()), this::onFinal);
                  });
        });
  }

  private void onFinal(SmtpReply reply) {
    settleAccepted(Stage.DATA_END, reply);
    if (reply.code() == 421) {
      finish(false);
    } else if (reply.isPositive()) {
      finish(true);
    } else {
      endFailed(reply);
    }
  }

  private void settleAccepted(Stage stage, SmtpReply reply) {
    for (int i : accepted) {
      results[i] = new RecipientResult(plan.recipients().get(i).recipient(), stage, reply);
    }
  }

  /** A 421: every recipient not yet decided gets it at this stage; the connection is done. */
  private void abort(Stage stage, SmtpReply reply) {
    for (int i = 0; i < results.length; i++) {
      if (results[i] == null || accepted.contains(i)) {
        results[i] = new RecipientResult(plan.recipients().get(i).recipient(), stage, reply);
      }
    }
    finish(false);
    channel.close();
  }

  /** The transaction failed at protocol level: RSET (RFC 5321 §4.1.1.5) unless the server quit. */
  private void endFailed(SmtpReply last) {
    if (last.code() == 421 || !handler.healthy()) {
      finish(false);
      channel.close();
      return;
    }
    handler
        .command("RSET", Stage.MAIL, timeouts.command())
        .whenComplete((r, failure) -> finish(failure == null && r.code() == 250));
  }

  private void finish(boolean clean) {
    if (outcome.isDone()) {
      return;
    }
    for (RecipientResult r : results) {
      if (r == null) {
        throw new IllegalStateException(
            "a recipient without a result: " + Arrays.toString(results));
      }
    }
    outcome.complete(new Outcome(new TransactionResult(List.of(results)), clean));
  }

  private void fail(Throwable failure) {
    if (outcome.isDone()) {
      return;
    }
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    List<RecipientResult> decided = new ArrayList<>();
    for (int i = 0; i < results.length; i++) {
      if (results[i] != null && !accepted.contains(i)) {
        decided.add(results[i]);
      }
    }
    if (cause instanceof OutboundException broken && !decided.isEmpty()) {
      cause = broken.afterDecided(decided);
    }
    outcome.completeExceptionally(cause);
    channel.close();
  }

  private void await(CompletableFuture<SmtpReply> reply, Consumer<SmtpReply> then) {
    reply.whenComplete(
        (r, failure) -> {
          if (outcome.isDone()) {
            return;
          }
          if (failure != null) {
            fail(failure);
            return;
          }
          try {
            then.accept(r);
          } catch (RuntimeException e) {
            fail(e);
          }
        });
  }
}
