package dev.sluice.routing.traffic;

import java.util.Locale;

/**
 * The names of everything traffic control keeps in the {@link TrafficStore}. One place, so that
 * every node of a cluster agrees and an operator reading Redis can tell what a key is.
 */
final class TrafficKeys {
  /** Health and adaptive state of a member as a whole (a relay: every destination). */
  static final String ALL = "*";

  private TrafficKeys() {}

  static String hourQuota(String member, CalendarWindow hour) {
    return "quota:hour:" + member + ":" + hour.id();
  }

  static String dayQuota(String member, CalendarWindow day) {
    return "quota:day:" + member + ":" + day.id();
  }

  static String warmupDay(String member, String destination, CalendarWindow day) {
    return "warmup:" + member + ":" + destination + ":sent:" + day.id();
  }

  static String warmupStart(String member, String destination) {
    return "warmup:" + member + ":" + destination + ":start";
  }

  static String warmupPausedDays(String member, String destination) {
    return "warmup:" + member + ":" + destination + ":paused";
  }

  static String warmupPausedOn(String member, String destination, CalendarWindow day) {
    return "warmup:" + member + ":" + destination + ":paused:" + day.id();
  }

  static String warmupStat(String member, String destination, CalendarWindow day, String what) {
    return "warmup:" + member + ":" + destination + ":" + what + ":" + day.id();
  }

  static String memberRate(String member) {
    return "rate:member:" + member;
  }

  static String pathRate(String member, String destination) {
    return "rate:path:" + member + ":" + destination;
  }

  static String tenantRate(String tenant) {
    return "rate:tenant:" + tenant;
  }

  static String ruleRate(String rule) {
    return "rate:rule:" + rule;
  }

  static String recipientRate(String address) {
    return "rate:rcpt:" + address.toLowerCase(Locale.ROOT);
  }

  /** The prefix of every member suspension, for listing them. */
  static final String MEMBER_SUSPENSIONS = "suspend:member:";

  static String memberSuspension(String member, String destination) {
    return MEMBER_SUSPENSIONS + member + ":" + destination;
  }

  static final String TENANT_SUSPENSIONS = "suspend:tenant:";

  static String tenantSuspension(String tenant) {
    return TENANT_SUSPENSIONS + tenant;
  }

  static String rampAfterSuspension(String member, String destination) {
    return "ramp:member:" + member + ":" + destination;
  }

  static String throttleHold(String member, String destination) {
    return "throttle:" + member + ":" + destination;
  }
}
