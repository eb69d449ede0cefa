package dev.sluice.routing.traffic;

/** Where a member (or a member toward one destination) stands, as {@link HealthTracker} sees it. */
public enum HealthState {
  /** Full weight. */
  HEALTHY,
  /** Too many soft failures in the window: a reduced weight until the rate falls back. */
  DEGRADED,
  /** The whole path failed: no traffic until its recheck. */
  DOWN,
  /** Back from down: its weight grows back over the ramp. */
  PROBATION
}
