package dev.sluice.routing.rules;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The decision instant falls on one of {@code days}, between {@code from} (inclusive) and {@code
 * to} (exclusive) local time in {@code zone}. A window whose end is before its start spans midnight
 * (22:00-06:00) and belongs to the day it starts on. Local times are used, so a window keeps its
 * wall-clock hours across a DST change.
 */
public record TimeWindowMatcher(Set<DayOfWeek> days, LocalTime from, LocalTime to, ZoneId zone)
    implements Matcher {
  public TimeWindowMatcher {
    days = days.isEmpty() ? EnumSet.allOf(DayOfWeek.class) : EnumSet.copyOf(days);
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(zone, "zone");
  }

  @Override
  public boolean matches(MatchContext context) {
    ZonedDateTime local = context.now().atZone(zone);
    LocalTime time = local.toLocalTime();
    DayOfWeek day = local.getDayOfWeek();
    if (!from.isAfter(to)) {
      boolean allDay = from.equals(to);
      return days.contains(day) && (allDay || (!time.isBefore(from) && time.isBefore(to)));
    }
    // Spans midnight: the evening part belongs to today, the morning part to yesterday's window.
    return (days.contains(day) && !time.isBefore(from))
        || (days.contains(day.minus(1)) && time.isBefore(to));
  }

  @Override
  public String explain(MatchContext context) {
    ZonedDateTime local = context.now().atZone(zone);
    String dayNames =
        days.stream()
            .map(d -> d.getDisplayName(TextStyle.SHORT, Locale.ROOT).toLowerCase(Locale.ROOT))
            .collect(Collectors.joining(","));
    return "time "
        + local.toLocalDateTime()
        + " "
        + zone
        + " in "
        + dayNames
        + " "
        + from
        + "-"
        + to;
  }
}
