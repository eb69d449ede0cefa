package dev.sluice.routing.config;

import java.time.Duration;

/**
 * {@code traffic.reputation}: how a member's bounce and complaint rates over a window lower its
 * weight. Below the {@code good} rates the member keeps its weight; at the {@code bad} rates it
 * keeps only {@code minWeight}; in between linearly. The applied factor moves toward that target by
 * at most {@code maxStep} per {@code window / 24}, never in one jump.
 *
 * @param window the window rates are taken over (default 24h)
 * @param minAttempts deliveries in the window before rates count (default 100)
 * @param bounceGood bounce rate that costs nothing (default 0.02)
 * @param bounceBad bounce rate that costs everything down to minWeight (default 0.10)
 * @param complaintGood complaint rate that costs nothing (default 0.001)
 * @param complaintBad complaint rate that costs everything down to minWeight (default 0.005)
 * @param minWeight the lowest share of its weight reputation leaves a member (default 0.25)
 * @param maxStep the largest change of the factor per step (default 0.05)
 */
public record ReputationSettings(
    Duration window,
    int minAttempts,
    double bounceGood,
    double bounceBad,
    double complaintGood,
    double complaintBad,
    double minWeight,
    double maxStep) {
  public static final ReputationSettings DEFAULTS =
      new ReputationSettings(Duration.ofHours(24), 100, 0.02, 0.10, 0.001, 0.005, 0.25, 0.05);
}
