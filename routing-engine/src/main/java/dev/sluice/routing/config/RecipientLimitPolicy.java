package dev.sluice.routing.config;

/** What happens to a recipient over its per-recipient rate: it waits, or it is bounced. */
public enum RecipientLimitPolicy {
  WAIT,
  REJECT
}
