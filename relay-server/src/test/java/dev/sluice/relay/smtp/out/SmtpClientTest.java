package dev.sluice.relay.smtp.out;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.relay.smtp.SmtpReply;
import dev.sluice.relay.spool.SpoolRecipient;
import dev.sluice.relay.testing.ScriptedSmtpServer;
import dev.sluice.relay.testing.ScriptedSmtpServer.ReceivedMessage;
import dev.sluice.relay.testing.TestCertificates;
import dev.sluice.relay.testing.TestCertificates.TestCertificate;
import dev.sluice.routing.config.TlsMode;
import dev.sluice.routing.outcome.Stage;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbound client against SubEthaSMTP, a server we did not write, on 127.0.0.x. */
class SmtpClientTest {
  private static final Duration SHORT = Duration.ofSeconds(3);
  private static final ClientTimeouts TIMEOUTS =
      new ClientTimeouts(SHORT, SHORT, SHORT, SHORT, SHORT, SHORT);
  private static final Duration WAIT = Duration.ofSeconds(5);

  private static EventLoopGroup group;
  private static SmtpClient client;

  @TempDir static Path certs;
  private static TestCertificate mxCert;
  private static TestCertificate otherCert;

  private ScriptedSmtpServer mx;

  @BeforeAll
  static void startClient() throws IOException {
    group = new NioEventLoopGroup(1);
    client = new SmtpClient(group, TIMEOUTS, Optional.empty());
    mxCert = TestCertificates.create(certs.resolve("mx"), "mx.test");
    otherCert = TestCertificates.create(certs.resolve("other"), "mx.test");
  }

  @AfterAll
  static void stopClient() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @AfterEach
  void stopServer() {
    if (mx != null) {
      mx.close();
    }
  }

  @Test
  void deliversAMultiRecipientMessageWithDotStuffedLinesIntact() throws Exception {
    mx = ScriptedSmtpServer.start("127.0.0.9");
    String body = "Subject: dots\r\n\r\n.leading dot\r\n..two dots\r\n.\r\nbare lf\nlast line";
    SmtpConnection c = connect(route(mx, TlsMode.NONE));
    TransactionResult result =
        get(c.send(message("app@example.com", body, "a@example.net", "b@example.net")));

    assertThat(result.recipients())
        .extracting(RecipientResult::stage, r -> r.reply().code())
        .containsOnly(org.assertj.core.groups.Tuple.tuple(Stage.DATA_END, 250));
    ReceivedMessage got = mx.awaitMessages(1, WAIT).get(0);
    assertThat(got.sender()).isEqualTo("app@example.com");
    assertThat(got.recipients()).containsExactly("a@example.net", "b@example.net");
    assertThat(got.text())
        .isEqualTo(
            "Subject: dots\r\n\r\n.leading dot\r\n..two dots\r\n.\r\nbare lf\r\nlast line\r\n");
    close(c);
  }

  @Test
  void bindsTheRouteSourceAddress() throws Exception {
    mx = ScriptedSmtpServer.start("127.0.0.9");
    SmtpConnection c = connect(route(mx, TlsMode.NONE));
    get(c.send(message("app@example.com", "Subject: x\r\n\r\nhi\r\n", "a@example.net")));

    assertThat(mx.awaitMessages(1, WAIT).get(0).client())
        .isEqualTo(InetAddress.getByName("127.0.0.2"));
    assertThat(mx.connections())
        .extracting(a -> a.getAddress().getHostAddress())
        .containsExactly("127.0.0.2");
    close(c);
  }

  @Test
  void pipelinesMailRcptAndDataWhenTheServerOffersPipelining() throws Exception {
    mx = ScriptedSmtpServer.start("127.0.0.9");
    SmtpConnection c = connect(route(mx, TlsMode.NONE));
    assertThat(c.capabilities().pipelining()).isTrue();
    get(c.send(message("app@example.com", "hi\r\n", "a@example.net", "b@example.net")));

    ScriptedSmtpServer.ReceivedCommand mail =
        mx.commands().stream().filter(x -> x.line().startsWith("MAIL")).findFirst().orElseThrow();
    assertThat(mail.moreInputWaiting()).as("RCPT and DATA were sent with MAIL").isTrue();
    close(c);
  }

  @Test
  void waitsForEachReplyWhenTheServerDoesNotOfferPipelining() throws Exception {
    mx = ScriptedSmtpServer.start("127.0.0.9").withoutExtension("PIPELINING");
    SmtpConnection c = connect(route(mx, TlsMode.NONE));
    get(c.send(message("app@example.com", "hi\r\n", "a@example.net", "b@example.net")));

    assertThat(mx.commands())
        .filteredOn(x -> x.line().matches("(MAIL|RCPT).*"))
        .hasSize(3)
        .allSatisfy(x -> assertThat(x.moreInputWaiting()).isFalse());
    close(c);
  }

  @Test
  void aRcpt550RefusesOnlyThatRecipient() throws Exception {
    mx =
        ScriptedSmtpServer.start("127.0.0.9")
            .answerRcptFor("bad@example.net", 550, "5.1.1 no such user");
    SmtpConnection c = connect(route(mx, TlsMode.NONE));
    TransactionResult result =
        get(
            c.send(
                message(
                    "app@example.com",
                    "hi\r\n",
                    "a@example.net",
                    "bad@example.net",
                    "c@example.net")));

    assertThat(result.recipients())
        .extracting(RecipientResult::stage)
        .containsExactly(Stage.DATA_END, Stage.RCPT, Stage.DATA_END);
    SmtpReply refused = result.recipients().get(1).reply();
    assertThat(refused.code()).isEqualTo(550);
    assertThat(refused.status()).isEqualTo("5.1.1");
    assertThat(refused.lines()).containsExactly("no such user");
    assertThat(mx.awaitMessages(1, WAIT).get(0).recipients())
        .containsExactly("a@example.net", "c@example.net");
    assertThat(c.reusable()).isTrue();
    close(c);
  }

  @Test
  void aRcpt452DefersOnlyThatRecipient() throws Exception {
    mx = ScriptedSmtpServer.start("127.0.0.9").answerRcpt(452, "4.5.3 too many recipients", 1);
    SmtpConnection c = connect(route(mx, TlsMode.NONE));
    TransactionResult result =
        get(c.send(message("app@example.com", "hi\r\n", "a@example.net", "b@example.net")));

    assertThat(result.recipients().get(0).stage()).isEqualTo(Stage.RCPT);
    assertThat(result.recipients().get(0).reply().code()).isEqualTo(452);
    assertThat(result.recipients().get(1).stage()).isEqualTo(Stage.DATA_END);
    assertThat(mx.awaitMessages(1, WAIT).get(0).recipients()).containsExactly("b@example.net");
    close(c);
  }

  @Test
  void aMail550RefusesEveryRecipientAndTheConnectionStaysReusable() throws Exception {
    mx = ScriptedSmtpServer.start("127.0.0.9").answerMail(550, "5.7.1 sender refused");
    SmtpConnection c = connect(route(mx, TlsMode.NONE));
    TransactionResult result =
        get(c.send(message("app@example.com", "hi\r\n", "a@example.net", "b@example.net")));

    assertThat(result.recipients())
        .allSatisfy(
            r -> {
              assertThat(r.stage()).isEqualTo(Stage.MAIL);
              assertThat(r.reply().code()).isEqualTo(550);
              assertThat(r.reply().status()).isEqualTo("5.7.1");
            });
    assertThat(mx.commandLines("RSET")).hasSize(1);
    assertThat(c.reusable()).isTrue();
    assertThat(mx.messages()).isEmpty();
    close(c);
  }

  @Test
  void aFinal451DefersEveryAcceptedRecipient() throws Exception {
    mx = ScriptedSmtpServer.start("127.0.0.9").answerData(451, "4.3.0 try again later");
    SmtpConnection c = connect(route(mx, TlsMode.NONE));
    TransactionResult result =
        get(c.send(message("app@example.com", "hi\r\n", "a@example.net", "b@example.net")));

    assertThat(result.recipients())
        .allSatisfy(
            r -> {
              assertThat(r.stage()).isEqualTo(Stage.DATA_END);
              assertThat(r.reply().code()).isEqualTo(451);
            });
    assertThat(c.reusable()).isTrue();
    close(c);
  }

  @Test
  void aRcpt421GivesTheRemainingRecipientsThe421AndEndsTheConnection() throws Exception {
    mx =
        ScriptedSmtpServer.start("127.0.0.9")
            .answerRcptFor("b@example.net", 421, "4.7.0 try later");
    SmtpConnection c = connect(route(mx, TlsMode.NONE));
    TransactionResult result =
        get(
            c.send(
                message(
                    "app@example.com",
                    "hi\r\n",
                    "a@example.net",
                    "b@example.net",
                    "c@example.net")));

    assertThat(result.recipients())
        .allSatisfy(
            r -> {
              assertThat(r.stage()).isEqualTo(Stage.RCPT);
              assertThat(r.reply().code()).isEqualTo(421);
            });
    assertThat(c.reusable()).isFalse();
    assertThat(mx.messages()).isEmpty();
    close(c);
  }

  @Test
  void aDropAfterTheFinalDotFailsAtDataEnd() throws Exception {
    mx = ScriptedSmtpServer.start("127.0.0.9").dropAfterData();
    SmtpConnection c = connect(route(mx, TlsMode.NONE));
    CompletableFuture<TransactionResult> sent =
        c.send(message("app@example.com", "hi\r\n", "a@example.net"));

    assertThat(failure(sent)).satisfies(e -> assertThat(e.stage()).isEqualTo(Stage.DATA_END));
    assertThat(c.reusable()).isFalse();
  }

  @Test
  void aStallPastTheDataEndTimeoutFailsAtDataEnd() throws Exception {
    mx = ScriptedSmtpServer.start("127.0.0.9").stallAfterData(Duration.ofSeconds(5));
    Duration brief = Duration.ofMillis(300);
    SmtpClient impatient =
        new SmtpClient(
            group, new ClientTimeouts(SHORT, SHORT, SHORT, SHORT, SHORT, brief), Optional.empty());
    SmtpConnection c = get(impatient.connect(route(mx, TlsMode.NONE)));
    OutboundException e = failure(c.send(message("app@example.com", "hi\r\n", "a@example.net")));

    assertThat(e.stage()).isEqualTo(Stage.DATA_END);
    assertThat(e.getMessage()).contains("DATA_END: timeout after 300ms");
  }

  @Test
  void aRefusedConnectionFailsAtConnectWithTheRouteInTheMessage() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.9"))) {
      port = s.getLocalPort();
    }
    OutboundRoute route =
        new OutboundRoute(
            new InetSocketAddress("127.0.0.9", port),
            "mx1.example.net",
            Optional.of(InetAddress.getByName("127.0.0.2")),
            "client.test",
            TlsMode.NONE,
            Optional.empty());
    OutboundException e = failure(client.connect(route));

    assertThat(e.stage()).isEqualTo(Stage.CONNECT);
    assertThat(e.getMessage())
        .isEqualTo(
            "[127.0.0.2→mx1.example.net[127.0.0.9]:" + port + "] CONNECT: Connection refused");
  }

  @Test
  void opportunisticTlsAcceptsASelfSignedCertificate() throws Exception {
    mx = ScriptedSmtpServer.start("127.0.0.9").withStartTls(otherCert.server());
    SmtpConnection c = connect(route(mx, TlsMode.OPPORTUNISTIC));

    assertThat(c.tls()).hasValueSatisfying(t -> assertThat(t).matches("TLSv1\\.[23] TLS_.*"));
    assertThat(c.capabilities().startTls()).as("the EHLO inside TLS").isFalse();
    get(c.send(message("app@example.com", "hi\r\n", "a@example.net")));
    assertThat(mx.awaitMessages(1, WAIT)).hasSize(1);
    close(c);
  }

  @Test
  void opportunisticTlsStaysPlainWhenStartTlsIsNotOffered() throws Exception {
    mx = ScriptedSmtpServer.start("127.0.0.9");
    SmtpConnection c = connect(route(mx, TlsMode.OPPORTUNISTIC));

    assertThat(c.tls()).isEmpty();
    close(c);
  }

  @Test
  void requiredTlsVerifiesATrustedCertificateAndHostName() throws Exception {
    mx = ScriptedSmtpServer.start("127.0.0.9").withStartTls(mxCert.server());
    SmtpClient verifying = new SmtpClient(group, TIMEOUTS, Optional.of(mxCert.certificate()));
    SmtpConnection c = get(verifying.connect(route(mx, TlsMode.REQUIRED)));

    assertThat(c.tls()).isPresent();
    get(c.send(message("app@example.com", "hi\r\n", "a@example.net")));
    assertThat(mx.awaitMessages(1, WAIT)).hasSize(1);
    close(c);
  }

  @Test
  void requiredTlsRefusesAnUntrustedCertificate() throws Exception {
    mx = ScriptedSmtpServer.start("127.0.0.9").withStartTls(otherCert.server());
    SmtpClient verifying = new SmtpClient(group, TIMEOUTS, Optional.of(mxCert.certificate()));
    OutboundException e = failure(verifying.connect(route(mx, TlsMode.REQUIRED)));

    assertThat(e.stage()).isEqualTo(Stage.TLS);
    assertThat(e.getMessage()).contains("handshake failed");
    assertThat(mx.commandLines("MAIL")).isEmpty();
  }

  @Test
  void requiredTlsRefusesACertificateForAnotherHostName() throws Exception {
    mx = ScriptedSmtpServer.start("127.0.0.9").withStartTls(mxCert.server());
    SmtpClient verifying = new SmtpClient(group, TIMEOUTS, Optional.of(mxCert.certificate()));
    OutboundRoute elsewhere = withHost(route(mx, TlsMode.REQUIRED), "mx.other.test");

    assertThat(failure(verifying.connect(elsewhere)).stage()).isEqualTo(Stage.TLS);
  }

  @Test
  void requiredTlsFailsWhenStartTlsIsNotOffered() throws Exception {
    mx = ScriptedSmtpServer.start("127.0.0.9");
    OutboundException e = failure(client.connect(route(mx, TlsMode.REQUIRED)));

    assertThat(e.stage()).isEqualTo(Stage.TLS);
    assertThat(e.getMessage()).contains("STARTTLS not offered");
  }

  @Test
  void authenticatesWithPlainOverTls() throws Exception {
    mx =
        ScriptedSmtpServer.start("127.0.0.9")
            .withStartTls(mxCert.server())
            .requireAuth("relay", "s3cret!");
    SmtpConnection c =
        connect(withCredentials(route(mx, TlsMode.OPPORTUNISTIC), "relay", "s3cret!"));
    get(c.send(message("app@example.com", "hi\r\n", "a@example.net")));

    assertThat(mx.awaitMessages(1, WAIT)).hasSize(1);
    assertThat(mx.commandLines("AUTH")).singleElement().asString().startsWith("AUTH PLAIN ");
    close(c);
  }

  @Test
  void authenticatesWithLoginWhenPlainIsNotOffered() throws Exception {
    mx =
        ScriptedSmtpServer.start("127.0.0.9")
            .withStartTls(mxCert.server())
            .requireAuth("relay", "s3cret!")
            .withAuthMechanisms("LOGIN");
    SmtpConnection c =
        connect(withCredentials(route(mx, TlsMode.OPPORTUNISTIC), "relay", "s3cret!"));
    get(c.send(message("app@example.com", "hi\r\n", "a@example.net")));

    assertThat(mx.awaitMessages(1, WAIT)).hasSize(1);
    assertThat(mx.commandLines("AUTH")).containsExactly("AUTH LOGIN");
    close(c);
  }

  @Test
  void aWrongPasswordFailsAtAuthWithoutShowingThePassword() throws Exception {
    mx =
        ScriptedSmtpServer.start("127.0.0.9")
            .withStartTls(mxCert.server())
            .requireAuth("relay", "s3cret!");
    OutboundException e =
        failure(
            client.connect(
                withCredentials(route(mx, TlsMode.OPPORTUNISTIC), "relay", "wrong-pass")));

    assertThat(e.stage()).isEqualTo(Stage.AUTH);
    assertThat(e.reply()).hasValueSatisfying(r -> assertThat(r.code()).isEqualTo(535));
    assertThat(e.getMessage()).contains("relay").doesNotContain("wrong-pass");
  }

  @Test
  void credentialsAreNotSentWithoutTls() throws Exception {
    mx = ScriptedSmtpServer.start("127.0.0.9").requireAuth("relay", "s3cret!");
    OutboundException e =
        failure(
            client.connect(withCredentials(route(mx, TlsMode.OPPORTUNISTIC), "relay", "s3cret!")));

    assertThat(e.stage()).isEqualTo(Stage.AUTH);
    assertThat(mx.commandLines("AUTH")).isEmpty();
  }

  @Test
  void reusesOneConnectionForTwoMessages() throws Exception {
    mx = ScriptedSmtpServer.start("127.0.0.9");
    SmtpConnection c = connect(route(mx, TlsMode.NONE));
    get(c.send(message("app@example.com", "first\r\n", "a@example.net")));
    assertThat(c.reusable()).isTrue();
    get(c.reset());
    get(c.send(message("app@example.com", "second\r\n", "b@example.net")));

    assertThat(c.transactions()).isEqualTo(2);
    assertThat(mx.awaitMessages(2, WAIT))
        .extracting(ReceivedMessage::text)
        .containsExactly("first\r\n", "second\r\n");
    assertThat(mx.connections()).hasSize(1);
    close(c);
    assertThat(mx.commandLines("QUIT")).hasSize(1);
  }

  @Test
  void refusesNonAsciiAddressesWhenTheServerLacksSmtputf8() throws Exception {
    mx = ScriptedSmtpServer.start("127.0.0.9").withoutExtension("SMTPUTF8");
    SmtpConnection c = connect(route(mx, TlsMode.NONE));
    TransactionResult result =
        get(
            c.send(
                message("app@example.com", "hi\r\n", "a@example.net", "użytkownik@example.net")));

    assertThat(result.recipients())
        .allSatisfy(
            r -> {
              assertThat(r.stage()).isEqualTo(Stage.MAIL);
              assertThat(r.reply())
                  .isEqualTo(
                      SmtpReply.of(550, "5.6.7", "SMTPUTF8 required but not supported by mx.test"));
            });
    assertThat(mx.commandLines("MAIL")).isEmpty();
    assertThat(c.reusable()).isTrue();
    close(c);
  }

  @Test
  void sendsSmtputf8AndBodyParametersWhenOffered() throws Exception {
    mx = ScriptedSmtpServer.start("127.0.0.9").withExtension("SIZE 100000");
    SmtpConnection c = connect(route(mx, TlsMode.NONE));
    String body = "Subject: caf\u00e9\r\n\r\nna\u00efve\r\n";
    get(c.send(message("app@example.com", body, "użytkownik@example.net")));

    int size = body.getBytes(StandardCharsets.UTF_8).length;
    assertThat(mx.commandLines("MAIL"))
        .containsExactly("MAIL FROM:<app@example.com> SIZE=" + size + " BODY=8BITMIME SMTPUTF8");
    assertThat(mx.awaitMessages(1, WAIT).get(0).text()).isEqualTo(body);
    close(c);
  }

  @Test
  void aMessageOverTheServersSizeIsRefusedWithoutSending() throws Exception {
    mx = ScriptedSmtpServer.start("127.0.0.9").withExtension("SIZE 10");
    SmtpConnection c = connect(route(mx, TlsMode.NONE));
    TransactionResult result =
        get(c.send(message("app@example.com", "more than ten bytes\r\n", "a@example.net")));

    assertThat(result.recipients().get(0).stage()).isEqualTo(Stage.MAIL);
    assertThat(result.recipients().get(0).reply().code()).isEqualTo(552);
    assertThat(result.recipients().get(0).reply().status()).isEqualTo("5.3.4");
    assertThat(mx.commandLines("MAIL")).isEmpty();
    close(c);
  }

  @Test
  void aRecipientWithACrLfIsRefusedByTheClientAndNeverWritten() throws Exception {
    mx = ScriptedSmtpServer.start("127.0.0.9");
    SmtpConnection c = connect(route(mx, TlsMode.NONE));
    TransactionResult result =
        get(
            c.send(
                message(
                    "app@example.com",
                    "hi\r\n",
                    "a@example.net",
                    "x@example.net>\r\nRSET\r\nRCPT TO:<evil@example.org")));

    assertThat(result.recipients().get(0).stage()).isEqualTo(Stage.DATA_END);
    assertThat(result.recipients().get(1).stage()).isEqualTo(Stage.RCPT);
    assertThat(result.recipients().get(1).reply().code()).isEqualTo(501);
    assertThat(mx.commands())
        .extracting(ScriptedSmtpServer.ReceivedCommand::line)
        .noneMatch(l -> l.contains("evil"));
    assertThat(mx.awaitMessages(1, WAIT).get(0).recipients()).containsExactly("a@example.net");
    close(c);
  }

  // ---- helpers

  private static OutboundRoute route(ScriptedSmtpServer server, TlsMode tls) throws IOException {
    return new OutboundRoute(
        server.address(),
        "mx.test",
        Optional.of(InetAddress.getByName("127.0.0.2")),
        "client.test",
        tls,
        Optional.empty());
  }

  private static OutboundRoute withCredentials(OutboundRoute r, String user, String password) {
    return new OutboundRoute(
        r.remote(),
        r.hostName(),
        r.source(),
        r.ehloName(),
        r.tls(),
        Optional.of(new Credentials(user, password)));
  }

  private static OutboundRoute withHost(OutboundRoute r, String host) {
    return new OutboundRoute(r.remote(), host, r.source(), r.ehloName(), r.tls(), r.credentials());
  }

  static OutboundMessage message(String sender, String body, String... recipients) {
    return new OutboundMessage(
        sender,
        java.util.Arrays.stream(recipients).map(SpoolRecipient::of).toList(),
        ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)),
        null,
        null);
  }

  private static SmtpConnection connect(OutboundRoute route) throws Exception {
    return get(client.connect(route));
  }

  private static void close(SmtpConnection c) throws Exception {
    get(c.close());
  }

  static <T> T get(CompletableFuture<T> future) throws Exception {
    return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  static OutboundException failure(CompletableFuture<?> future) {
    Throwable thrown =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    assertThat(thrown).isInstanceOf(ExecutionException.class);
    assertThat(thrown.getCause()).isInstanceOf(OutboundException.class);
    return (OutboundException) thrown.getCause();
  }
}
