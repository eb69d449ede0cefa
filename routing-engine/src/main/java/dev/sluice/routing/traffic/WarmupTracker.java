package dev.sluice.routing.traffic;

import dev.sluice.routing.config.MemberConfig;
import dev.sluice.routing.config.WarmupConfig;
import dev.sluice.routing.config.WarmupPause;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;

/**
 * Where each warming member stands with each destination: which warmup day it is on, what that day
 * allows and what it has sent. Progress lives in the {@link TrafficStore} (shared by a cluster):
 * the day the member first sent to the destination, and the days that did not count because its
 * bounce or deferral rate there went above {@link WarmupPause}'s thresholds.
 */
final class WarmupTracker {
  /**
   * Progress is kept this long after the member last sent to the destination (its start day) or
   * last paused there (its paused days): longer than any warmup schedule.
   */
  private static final Duration KEEP = Duration.ofDays(400);

  private final TrafficStore store;
  private final WarmupPause pause;
  private final ZoneId zone;

  WarmupTracker(TrafficStore store, WarmupPause pause, ZoneId zone) {
    this.store = store;
    this.pause = pause;
    this.zone = zone;
  }

  /** Where a warming member stands today toward a destination; empty when it is not warming. */
  Optional<WarmupStatus> status(MemberConfig member, String destination, Instant now) {
    Optional<Integer> warming = day(member, destination, now);
    if (warming.isEmpty()) {
      return Optional.empty();
    }
    WarmupConfig config = member.warmup().get();
    int day = warming.get();
    CalendarWindow today = CalendarWindow.day(now, zone);
    long sent = store.count(TrafficKeys.warmupDay(member.name(), destination, today), now);
    boolean pausedToday =
        store.count(TrafficKeys.warmupPausedOn(member.name(), destination, today), now) > 0;
    return Optional.of(
        new WarmupStatus(
            day,
            WarmupSchedule.allowance(config, day),
            sent,
            pausedToday,
            WarmupSchedule.share(config, day, member.limits().perDay()),
            today));
  }

  /** Today's allowance toward a destination; empty when the member is not warming. */
  Optional<Long> allowance(MemberConfig member, String destination, Instant now) {
    return day(member, destination, now)
        .map(day -> WarmupSchedule.allowance(member.warmup().get(), day));
  }

  /** The warmup day the member is on toward a destination; empty when it is not warming. */
  private Optional<Integer> day(MemberConfig member, String destination, Instant now) {
    if (member.warmup().isEmpty()) {
      return Optional.empty();
    }
    LocalDate date = CalendarWindow.date(now, zone);
    LocalDate started =
        store
            .get(TrafficKeys.warmupStart(member.name(), destination), now)
            .map(LocalDate::parse)
            .orElse(date);
    long paused = store.count(TrafficKeys.warmupPausedDays(member.name(), destination), now);
    int day = WarmupSchedule.day(started, date, paused);
    return WarmupSchedule.isWarm(member.warmup().get(), day) ? Optional.empty() : Optional.of(day);
  }

  /** The charge of {@code recipients} against today's allowance, for a member still warming. */
  Optional<Charge.Quota> charge(
      MemberConfig member, String destination, long recipients, Instant now) {
    return status(member, destination, now)
        .map(
            s ->
                new Charge.Quota(
                    TrafficKeys.warmupDay(member.name(), destination, s.today()),
                    recipients,
                    s.allowance(),
                    s.today().end()));
  }

  /**
   * The member sent to the destination: its warmup starts counting days from today, unless it
   * started before; either way its start day is kept {@link #KEEP} from now, so a member that keeps
   * sending never starts again.
   */
  void sent(MemberConfig member, String destination, Instant now) {
    store.putIfAbsent(
        TrafficKeys.warmupStart(member.name(), destination),
        CalendarWindow.date(now, zone).toString(),
        now.plus(KEEP),
        now);
  }

  /**
   * Counts one attempt's results toward today's rates; returns the event when they just paused the
   * schedule for today.
   */
  Optional<TrafficEvent> record(
      MemberConfig member,
      String destination,
      long attempts,
      long bounced,
      long deferred,
      Instant now) {
    Optional<WarmupStatus> status = status(member, destination, now);
    if (status.isEmpty() || attempts == 0) {
      return Optional.empty();
    }
    CalendarWindow today = status.get().today();
    Instant expires = today.end().plus(Duration.ofDays(1));
    String m = member.name();
    long all =
        store.add(
            TrafficKeys.warmupStat(m, destination, today, "attempts"), attempts, expires, now);
    long b =
        store.add(TrafficKeys.warmupStat(m, destination, today, "bounced"), bounced, expires, now);
    long d =
        store.add(
            TrafficKeys.warmupStat(m, destination, today, "deferred"), deferred, expires, now);
    if (status.get().pausedToday() || all < pause.minAttempts()) {
      return Optional.empty();
    }
    double bounceRate = b / (double) all;
    double deferralRate = d / (double) all;
    if (bounceRate <= pause.bounceAbove() && deferralRate <= pause.deferralAbove()) {
      return Optional.empty();
    }
    if (store.add(TrafficKeys.warmupPausedOn(m, destination, today), 1, expires, now) != 1) {
      return Optional.empty(); // another node paused it first
    }
    store.add(TrafficKeys.warmupPausedDays(m, destination), 1, now.plus(KEEP), now);
    return Optional.of(
        new TrafficEvent(
            "warmup_paused",
            now,
            m,
            destination,
            String.format(
                java.util.Locale.ROOT,
                "day %d does not count: bounce rate %.1f%%, deferral rate %.1f%% over %d attempts"
                    + " today",
                status.get().day(),
                bounceRate * 100,
                deferralRate * 100,
                all)));
  }
}
