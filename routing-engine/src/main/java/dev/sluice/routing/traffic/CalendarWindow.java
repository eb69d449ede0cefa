package dev.sluice.routing.traffic;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Objects;

/**
 * One calendar hour or day in a time zone, the window of a quota. The end is the start of the next
 * local hour or day, so a window follows daylight saving time: a local day lasts 23 or 25 hours
 * when the clocks change. The hour repeated when the clocks go back has the same id both times; its
 * two windows do not overlap, so a counter forgotten at the first one's end starts afresh.
 *
 * @param id the local hour ({@code 2026-11-23T14}) or day ({@code 2026-11-23}), for store keys
 * @param start the first instant of the window
 * @param end the first instant after the window
 */
public record CalendarWindow(String id, Instant start, Instant end) {
  private static final DateTimeFormatter HOUR_ID =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH", Locale.ROOT);

  public CalendarWindow {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
  }

  /** The local hour in {@code zone} that {@code now} falls in. */
  public static CalendarWindow hour(Instant now, ZoneId zone) {
    ZonedDateTime start = now.atZone(zone).truncatedTo(ChronoUnit.HOURS);
    // plusHours works on the instant time line: the next local hour, across a clock change too
    return new CalendarWindow(
        HOUR_ID.format(start), start.toInstant(), start.plusHours(1).toInstant());
  }

  /** The local day in {@code zone} that {@code now} falls in. */
  public static CalendarWindow day(Instant now, ZoneId zone) {
    LocalDate date = date(now, zone);
    return new CalendarWindow(
        date.toString(),
        date.atStartOfDay(zone).toInstant(),
        date.plusDays(1).atStartOfDay(zone).toInstant());
  }

  /** The local date in {@code zone} at {@code now}. */
  public static LocalDate date(Instant now, ZoneId zone) {
    return LocalDate.ofInstant(now, zone);
  }
}
