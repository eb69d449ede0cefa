package dev.sluice.relay.metrics;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Time from the end of DATA to the 250 that acknowledges it (spool write and fsync included), in an
 * HdrHistogram: the figure that tells whether durability is affordable. Thread-safe; recording is
 * wait-free.
 */
public final class IngressLatency {
  private final Recorder recorder = new Recorder(TimeUnit.SECONDS.toMicros(60), 3);
  private final Histogram total = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
  private final java.util.concurrent.atomic.DoubleAdder seconds =
      new java.util.concurrent.atomic.DoubleAdder();

  /** Records one acknowledgement that took {@code nanos}. */
  public void record(long nanos) {
    long micros = Math.min(TimeUnit.NANOSECONDS.toMicros(nanos), TimeUnit.SECONDS.toMicros(60));
    recorder.recordValue(micros);
    seconds.add(micros / 1e6);
  }

  /** The sum of every recorded latency, in seconds. */
  public double sumSeconds() {
    return seconds.sum();
  }

  /** Everything recorded so far. Not for concurrent callers of itself. */
  public synchronized Histogram snapshot() {
    total.add(recorder.getIntervalHistogram());
    return total.copy();
  }

  /** {@code 12345 messages, DATA-end→250 p50 0.8 ms, p99 2.4 ms, max 9.1 ms}. */
  public String summary() {
    Histogram h = snapshot();
    return String.format(
        Locale.ROOT,
        "%d messages, DATA-end→250 p50 %.2f ms, p99 %.2f ms, max %.2f ms",
        h.getTotalCount(),
        h.getValueAtPercentile(50) / 1000.0,
        h.getValueAtPercentile(99) / 1000.0,
        h.getMaxValue() / 1000.0);
  }
}
