package dev.sluice.routing.traffic;

import dev.sluice.routing.config.ReputationSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Lowers the weight of a member whose bounce or complaint rate over the window is bad. The target
 * factor is 1 below the good rates and {@code minWeight} at the bad ones, linear in between, the
 * worse of the two rates deciding; it applies once deliveries and bounces in the window reach
 * {@code minAttempts}. The applied factor moves toward the target by at most {@code maxStep} per
 * {@code window / 24}, in proportion to the time elapsed: never in one jump.
 *
 * <p>Not thread-safe: owned by one scheduler thread. Time is passed in.
 */
public final class Reputation {
  private static final int SLOTS = 24;
  private static final int STEPS_PER_WINDOW = 24;

  private final ReputationSettings settings;
  private final Duration step;
  private final Map<String, Member> members = new HashMap<>();

  public Reputation(ReputationSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.step = settings.window().dividedBy(STEPS_PER_WINDOW);
  }

  public void delivered(String member, Instant now) {
    member(member, now).delivered.add(now, 1);
  }

  public void bounced(String member, Instant now) {
    member(member, now).bounced.add(now, 1);
  }

  public void complained(String member, Instant now) {
    member(member, now).complained.add(now, 1);
  }

  /**
   * The share of its weight {@code member} keeps at {@code now}, in [minWeight, 1]; 1 for a member
   * never seen. Moves the applied factor toward the target for the time elapsed since the last
   * call.
   */
  public double factor(String member, Instant now) {
    Member m = members.get(member);
    if (m == null) {
      return 1;
    }
    if (now.isAfter(m.lastMoved)) {
      double allowed =
          settings.maxStep()
              * Duration.between(m.lastMoved, now).toMillis()
              / Math.max(1, step.toMillis());
      double target = target(m, now);
      m.factor += Math.max(-allowed, Math.min(allowed, target - m.factor));
      m.lastMoved = now;
    }
    return m.factor;
  }

  /** Forgets every member {@code keep} refuses (members gone after a reload). */
  public void retain(Predicate<String> keep) {
    members.keySet().removeIf(keep.negate());
  }

  private double target(Member m, Instant now) {
    long delivered = m.delivered.sum(now);
    long attempts = delivered + m.bounced.sum(now);
    if (attempts < settings.minAttempts()) {
      return 1;
    }
    double bounceRate = (double) m.bounced.sum(now) / attempts;
    double complaintRate = delivered == 0 ? 0 : (double) m.complained.sum(now) / delivered;
    double badness =
        Math.max(
            severity(bounceRate, settings.bounceGood(), settings.bounceBad()),
            severity(complaintRate, settings.complaintGood(), settings.complaintBad()));
    return 1 - badness * (1 - settings.minWeight());
  }

  /** 0 at or below good, 1 at or above bad, linear in between. */
  private static double severity(double rate, double good, double bad) {
    if (rate <= good) {
      return 0;
    }
    return rate >= bad ? 1 : (rate - good) / (bad - good);
  }

  private Member member(String name, Instant now) {
    return members.computeIfAbsent(Objects.requireNonNull(name, "member"), k -> new Member(now));
  }

  /** The counts and applied factor of one member. */
  private final class Member {
    final SlidingCounts delivered = new SlidingCounts(settings.window(), SLOTS);
    final SlidingCounts bounced = new SlidingCounts(settings.window(), SLOTS);
    final SlidingCounts complained = new SlidingCounts(settings.window(), SLOTS);
    double factor = 1;
    Instant lastMoved;

    Member(Instant now) {
      this.lastMoved = now;
    }
  }
}
