package dev.sluice.routing.traffic;

import dev.sluice.routing.config.WarmupConfig;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.OptionalLong;

/**
 * How much a warming member may send on its n-th warmup day, and how much of its configured weight
 * it gets meanwhile. Pure functions; day 1 is the first day.
 */
public final class WarmupSchedule {
  private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
  private static final double MIN_SHARE = 0.01;

  private WarmupSchedule() {}

  /**
   * The allowance of day {@code day} (>= 1). A curve gives {@code floor(start * (1 + growth)^(day -
   * 1))}, capped by its max; a table its entry for the day. {@link Long#MAX_VALUE} means no limit:
   * past the table, or a curve that outgrew a long.
   */
  public static long allowance(WarmupConfig c, int day) {
    if (day < 1) {
      throw new IllegalArgumentException("warmup days start at 1: " + day);
    }
    if (c instanceof WarmupConfig.Table table) {
      List<Long> caps = table.dailyCaps();
      return day <= caps.size() ? caps.get(day - 1) : Long.MAX_VALUE;
    }
    WarmupConfig.Curve curve = (WarmupConfig.Curve) c;
    // decimal arithmetic: in doubles 100 * 1.15 is 114.999…, which would floor to 114
    BigDecimal grown =
        BigDecimal.valueOf(curve.start())
            .multiply(
                BigDecimal.ONE
                    .add(BigDecimal.valueOf(curve.growth()))
                    .pow(day - 1, MathContext.DECIMAL128));
    long allowance =
        grown.compareTo(LONG_MAX) >= 0
            ? Long.MAX_VALUE
            : grown.setScale(0, RoundingMode.FLOOR).longValueExact();
    return curve.max().isPresent() ? Math.min(allowance, curve.max().getAsLong()) : allowance;
  }

  /**
   * Whether the member is warm on day {@code day}: past the table, or at a curve's max. A curve
   * without a max never ends.
   */
  public static boolean isWarm(WarmupConfig c, int day) {
    if (c instanceof WarmupConfig.Table table) {
      return day > table.dailyCaps().size();
    }
    OptionalLong max = ((WarmupConfig.Curve) c).max();
    return max.isPresent() && allowance(c, day) >= max.getAsLong();
  }

  /**
   * The share of its configured weight a warming member gets on day {@code day}: its allowance over
   * its full volume, between 0.01 and 1. The full volume is the curve's max, else the table's last
   * cap, else {@code fullVolume} (the member's daily quota); 1 when warm or when none is known.
   */
  public static double share(WarmupConfig c, int day, OptionalLong fullVolume) {
    if (isWarm(c, day)) {
      return 1;
    }
    OptionalLong full = fullVolume;
    if (c instanceof WarmupConfig.Table table) {
      full = OptionalLong.of(table.dailyCaps().get(table.dailyCaps().size() - 1));
    } else if (((WarmupConfig.Curve) c).max().isPresent()) {
      full = ((WarmupConfig.Curve) c).max();
    }
    if (full.isEmpty() || full.getAsLong() <= 0) {
      return 1;
    }
    double share = (double) allowance(c, day) / full.getAsLong();
    return Math.max(MIN_SHARE, Math.min(1, share));
  }

  /**
   * The warmup day on {@code today} of a member that started on {@code started} and paused {@code
   * pausedDays} days since: days since the start, less the paused ones, plus one; at least 1.
   */
  public static int day(LocalDate started, LocalDate today, long pausedDays) {
    long day = ChronoUnit.DAYS.between(started, today) - pausedDays + 1;
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, day));
  }
}
