package dev.sluice.routing.traffic;

import dev.sluice.routing.config.MemberConfig;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * One of a member's calendar quotas in the window that holds {@code now}: its hourly or its daily
 * cap, the store key that counts it, and when it resets. Eligibility, admission and the live state
 * all read a member's quotas through {@link #of}, so they agree on keys and windows.
 *
 * @param window {@code hour} or {@code day}
 */
record CalendarQuota(String window, String key, long cap, Instant resetsAt) {
  /** The quotas {@code member} sets, hourly first; none when it sets none. */
  static List<CalendarQuota> of(MemberConfig member, Instant now, ZoneId zone) {
    List<CalendarQuota> out = new ArrayList<>(2);
    if (member.limits().perHour().isPresent()) {
      CalendarWindow hour = CalendarWindow.hour(now, zone);
      out.add(
          new CalendarQuota(
              "hour",
              TrafficKeys.hourQuota(member.name(), hour),
              member.limits().perHour().getAsLong(),
              hour.end()));
    }
    if (member.limits().perDay().isPresent()) {
      CalendarWindow day = CalendarWindow.day(now, zone);
      out.add(
          new CalendarQuota(
              "day",
              TrafficKeys.dayQuota(member.name(), day),
              member.limits().perDay().getAsLong(),
              day.end()));
    }
    return out;
  }

  /** {@code hourly quota of 20000 used; resets at …}, for traces. */
  String usedUp() {
    return (window.equals("hour") ? "hourly" : "daily")
        + " quota of "
        + cap
        + " used; resets at "
        + resetsAt;
  }
}
