package dev.sluice.relay.dsn;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Dates as RFC 5322 §3.3 writes them: {@code Tue, 3 Jun 2025 11:05:30 +0200}. */
final class DsnDates {
  private static final DateTimeFormatter RFC5322 =
      DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.US);

  private DsnDates() {}

  static String format(ZonedDateTime time) {
    return RFC5322.format(time);
  }

  static String format(Instant instant, ZoneId zone) {
    return RFC5322.format(instant.atZone(zone));
  }
}
