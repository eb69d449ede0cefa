package dev.sluice.routing.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.Headers;
import dev.sluice.routing.net.Cidr;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MatchersTest {
  private static MatchContext context(
      String recipient, String sender, String destination, String type, Instant now) {
    return new MatchContext(
        recipient,
        recipient.substring(recipient.indexOf('@') + 1),
        sender.substring(sender.indexOf('@') + 1),
        destination,
        type,
        OptionalInt.of(3),
        Optional.of("acme"),
        Optional.of("10.1.2.3"),
        Headers.of(List.of(Map.entry("X-Campaign", "promo-42"), Map.entry("x-campaign", "second"))),
        now);
  }

  private static final MatchContext CTX =
      context(
          "Bob@mail.example.com",
          "app@acme.example",
          "default",
          "bulk",
          Instant.parse("2026-11-23T12:00:00Z"));

  @Test
  void recipientDomainMatchesExactNamesAndWildcardSubdomainsOnly() {
    assertThat(new RecipientDomainMatcher(DomainSet.of(List.of("mail.example.com"))).matches(CTX))
        .isTrue();
    assertThat(new RecipientDomainMatcher(DomainSet.of(List.of("*.example.com"))).matches(CTX))
        .isTrue();
    assertThat(new RecipientDomainMatcher(DomainSet.of(List.of("*.mail.example.com"))).matches(CTX))
        .isFalse();
    assertThat(new RecipientDomainMatcher(DomainSet.of(List.of("example.com"))).matches(CTX))
        .isFalse();
    assertThat(DomainSet.of(List.of("Example.COM.")).contains("example.com")).isTrue();
  }

  @Test
  void senderDomainDestinationTypeAndTenant() {
    assertThat(new SenderDomainMatcher(DomainSet.of(List.of("acme.example"))).matches(CTX))
        .isTrue();
    assertThat(new SenderDomainMatcher(DomainSet.of(List.of("other.example"))).matches(CTX))
        .isFalse();
    assertThat(new DestinationMatcher(Set.of("default")).matches(CTX)).isTrue();
    assertThat(new DestinationMatcher(Set.of("gmail")).matches(CTX)).isFalse();
    assertThat(new MessageTypeMatcher(Set.of("bulk", "newsletter")).matches(CTX)).isTrue();
    assertThat(new MessageTypeMatcher(Set.of("transactional")).matches(CTX)).isFalse();
    assertThat(new TenantMatcher(Set.of("acme")).matches(CTX)).isTrue();
    assertThat(new TenantMatcher(Set.of("other")).matches(CTX)).isFalse();
  }

  @Test
  void recipientPatternsAreCaseInsensitiveGlobsOrRegexes() {
    assertThat(new RecipientMatcher(List.of(TextPattern.Glob.of("bob@*"))).matches(CTX)).isTrue();
    assertThat(
            new RecipientMatcher(List.of(TextPattern.Glob.of("b?b@mail.example.com"))).matches(CTX))
        .isTrue();
    assertThat(new RecipientMatcher(List.of(TextPattern.Glob.of("alice@*"))).matches(CTX))
        .isFalse();
    assertThat(
            new RecipientMatcher(List.of(TextPattern.Glob.of("bob@mail.example.co"))).matches(CTX))
        .isFalse();
    assertThat(
            new RecipientMatcher(
                    List.of(
                        new TextPattern.Regex(Pattern.compile("^b.b@", Pattern.CASE_INSENSITIVE))))
                .matches(CTX))
        .isTrue();
    // glob metacharacters of regex are literal in globs
    assertThat(TextPattern.Glob.of("a.b+c@x").matches("a.b+c@x")).isTrue();
    assertThat(TextPattern.Glob.of("a.b+c@x").matches("aXb+c@x")).isFalse();
  }

  @Test
  void headersMatchExactlyByGlobByRegexOrByPresenceOnAnyValue() {
    assertThat(new HeaderMatcher("x-CAMPAIGN", new TextPattern.Exact("PROMO-42")).matches(CTX))
        .isTrue();
    assertThat(new HeaderMatcher("X-Campaign", TextPattern.Glob.of("promo-*")).matches(CTX))
        .isTrue();
    assertThat(
            new HeaderMatcher(
                    "X-Campaign", new TextPattern.Regex(Pattern.compile("^promo-[0-9]+$")))
                .matches(CTX))
        .isTrue();
    assertThat(new HeaderMatcher("X-Campaign", new TextPattern.Exact("second")).matches(CTX))
        .isTrue();
    assertThat(new HeaderMatcher("X-Campaign", new TextPattern.Exact("third")).matches(CTX))
        .isFalse();
    assertThat(new HeaderMatcher("X-Other", new TextPattern.Present()).matches(CTX)).isFalse();
    assertThat(new HeaderMatcher("X-Campaign", new TextPattern.Present()).matches(CTX)).isTrue();
  }

  @Test
  void anchoredRegexesMatchOnlyAtTheStartButAlternativesAnywhere() {
    TextPattern anchored = new TextPattern.Regex(Pattern.compile("^promo-[0-9]+$"));
    assertThat(anchored.matches("promo-42")).isTrue();
    assertThat(anchored.matches("xpromo-42")).isFalse();
    TextPattern alternative = new TextPattern.Regex(Pattern.compile("^promo|sale"));
    assertThat(alternative.matches("big sale")).isTrue();
    TextPattern multiline = new TextPattern.Regex(Pattern.compile("^b", Pattern.MULTILINE));
    assertThat(multiline.matches("a\nb")).isTrue();
    assertThat(new TextPattern.Regex(Pattern.compile("^ab*c")).matches("ac")).isTrue();
    assertThat(new TextPattern.Regex(Pattern.compile("^abc?d")).matches("abd")).isTrue();
    assertThat(new TextPattern.Regex(Pattern.compile("^ab{2}c")).matches("abbc")).isTrue();
    assertThat(
            new TextPattern.Regex(Pattern.compile("^Promo", Pattern.CASE_INSENSITIVE))
                .matches("pROMO-1"))
        .isTrue();
    assertThat(new TextPattern.Regex(Pattern.compile("^Promo")).matches("promo-1")).isFalse();
    assertThat(TextPattern.Glob.of("promo-*").matches("PROMO-7")).isTrue();
    assertThat(TextPattern.Glob.of("promo-*").matches("prom")).isFalse();
    assertThat(TextPattern.Glob.of("*").matches("")).isTrue();
    assertThat(TextPattern.Glob.of("JÖRG@*").matches("jörg@example.de")).isTrue();
    assertThat(TextPattern.Glob.of("JÖRG@*.de").matches("jörg@example.de")).isTrue();
    assertThat(TextPattern.Glob.of("").matches("")).isTrue();
    assertThat(TextPattern.Glob.of("").matches("x")).isFalse();
  }

  @Test
  void globsAndRegexesDoNotMatchAValueOverTheLineLimit() {
    String longest = "a".repeat(998); // RFC 5322 §2.1.1
    for (TextPattern p :
        List.of(
            TextPattern.Glob.of("a*"),
            TextPattern.Glob.of("*a"),
            new TextPattern.Regex(Pattern.compile("^a+$")))) {
      assertThat(p.matches(longest)).as("%s on 998 characters", p).isTrue();
      assertThat(p.matches(longest + "a")).as("%s on 999 characters", p).isFalse();
    }
    assertThat(new TextPattern.Exact(longest + "a").matches(longest + "a")).isTrue();
  }

  @Test
  void aRegexThatRunsOutOfStackDoesNotMatch() throws InterruptedException {
    TextPattern deep = new TextPattern.Regex(Pattern.compile("^(?:[a-z]|[0-9])+$"));
    AtomicReference<Object> outcome = new AtomicReference<>();
    Thread small =
        new Thread(
            null,
            () -> {
              try {
                outcome.set(deep.matches("a1".repeat(499)));
              } catch (Throwable t) {
                outcome.set(t);
              }
            },
            "small-stack",
            32 * 1024);
    small.start();
    small.join();
    assertThat(outcome.get()).isEqualTo(false);
  }

  @Test
  void clientNetworkAndPriority() {
    assertThat(new ClientNetworkMatcher(List.of(Cidr.parse("10.0.0.0/8"))).matches(CTX)).isTrue();
    assertThat(new ClientNetworkMatcher(List.of(Cidr.parse("192.168.0.0/16"))).matches(CTX))
        .isFalse();
    assertThat(new PriorityMatcher(1, 3).matches(CTX)).isTrue();
    assertThat(new PriorityMatcher(4, 10).matches(CTX)).isFalse();
  }

  @Test
  void allAnyAndNotCombine() {
    Matcher bulk = new MessageTypeMatcher(Set.of("bulk"));
    Matcher gmail = new DestinationMatcher(Set.of("gmail"));
    assertThat(new AllMatcher(List.of(bulk, gmail)).matches(CTX)).isFalse();
    assertThat(new AnyMatcher(List.of(bulk, gmail)).matches(CTX)).isTrue();
    assertThat(new NotMatcher(gmail).matches(CTX)).isTrue();
    assertThat(new AnyMatcher(List.of(gmail, bulk)).explain(CTX))
        .isEqualTo("any of 2: message_type bulk in [bulk]");
    assertThat(new AllMatcher(List.of(bulk, new NotMatcher(gmail))).explain(CTX))
        .isEqualTo("message_type bulk in [bulk] and not (destination default in [gmail])");
  }

  @Test
  void officeHoursWindowKeepsLocalHoursAcrossTheSpringDstChange() {
    ZoneId paris = ZoneId.of("Europe/Paris");
    Matcher office =
        new TimeWindowMatcher(
            EnumSet.allOf(DayOfWeek.class), LocalTime.of(9, 0), LocalTime.of(17, 0), paris);
    // 2026-03-28 is the Saturday before the change (UTC+1); 2026-03-29 is after it (UTC+2).
    assertThat(office.matches(at("2026-03-28T08:00:00Z"))).as("09:00 CET").isTrue();
    assertThat(office.matches(at("2026-03-28T07:59:00Z"))).as("08:59 CET").isFalse();
    assertThat(office.matches(at("2026-03-29T07:00:00Z"))).as("09:00 CEST").isTrue();
    assertThat(office.matches(at("2026-03-29T06:59:00Z"))).as("08:59 CEST").isFalse();
    assertThat(office.matches(at("2026-03-29T14:59:00Z"))).as("16:59 CEST").isTrue();
    assertThat(office.matches(at("2026-03-29T15:00:00Z"))).as("17:00 CEST").isFalse();
  }

  @Test
  void nightWindowSpansMidnightAndTheAutumnDstChange() {
    ZoneId newYork = ZoneId.of("America/New_York");
    // Saturday nights 22:00-06:00; 2026-11-01 01:00-02:00 happens twice in New York.
    Matcher saturdayNight =
        new TimeWindowMatcher(
            EnumSet.of(DayOfWeek.SATURDAY), LocalTime.of(22, 0), LocalTime.of(6, 0), newYork);
    assertThat(saturdayNight.matches(at("2026-11-01T02:00:00Z"))).as("Sat 22:00 EDT").isTrue();
    assertThat(saturdayNight.matches(at("2026-11-01T05:30:00Z"))).as("Sun 01:30 EDT").isTrue();
    assertThat(saturdayNight.matches(at("2026-11-01T06:30:00Z")))
        .as("Sun 01:30 EST, the second time")
        .isTrue();
    assertThat(saturdayNight.matches(at("2026-11-01T10:59:00Z"))).as("Sun 05:59 EST").isTrue();
    assertThat(saturdayNight.matches(at("2026-11-01T11:00:00Z"))).as("Sun 06:00 EST").isFalse();
    assertThat(saturdayNight.matches(at("2026-11-02T03:00:00Z"))).as("Sun 22:00 EST").isFalse();
  }

  @Test
  void daysOfWeekAreLocalToTheZone() {
    Matcher weekdays =
        new TimeWindowMatcher(
            EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
            LocalTime.MIDNIGHT,
            LocalTime.MIDNIGHT,
            ZoneId.of("Asia/Tokyo"));
    // Sunday 20:00 UTC is Monday 05:00 in Tokyo.
    assertThat(weekdays.matches(at("2026-11-22T20:00:00Z"))).isTrue();
    assertThat(weekdays.matches(at("2026-11-22T14:00:00Z"))).as("Sunday 23:00 Tokyo").isFalse();
  }

  private static MatchContext at(String instant) {
    return context("a@b.example", "c@d.example", "default", "bulk", Instant.parse(instant));
  }
}
