package dev.sluice.routing.traffic;

/**
 * A warming member toward one destination, today.
 *
 * @param day the warmup day (1 on the first day it sent there; paused days do not count)
 * @param allowance what today allows
 * @param sent what it sent today
 * @param pausedToday whether today's rates paused the schedule (today does not count)
 * @param share the share of its configured weight it gets while warming
 * @param today the calendar day, whose end is when the allowance resets
 */
public record WarmupStatus(
    int day, long allowance, long sent, boolean pausedToday, double share, CalendarWindow today) {}
