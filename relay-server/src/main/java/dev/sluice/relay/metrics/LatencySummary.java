package dev.sluice.relay.metrics;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.DoubleAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Durations in an HdrHistogram (microseconds, 3 significant digits, up to one day), written as a
 * Prometheus summary: quantiles 0.5, 0.9 and 0.99 since start, plus {@code _sum} and {@code
 * _count}. Recording is wait-free; reading is serialised.
 */
final class LatencySummary {
  static final double[] QUANTILES = {0.5, 0.9, 0.99};
  private static final long MAX_MICROS = TimeUnit.DAYS.toMicros(1);

  private final Recorder recorder = new Recorder(MAX_MICROS, 3);
  private final Histogram total = new Histogram(MAX_MICROS, 3);
  private final DoubleAdder seconds = new DoubleAdder();

  void record(long micros) {
    long v = Math.max(0, Math.min(micros, MAX_MICROS));
    recorder.recordValue(v);
    seconds.add(v / 1e6);
  }

  /** The histogram so far, folded from the recorder. */
  synchronized Histogram snapshot() {
    total.add(recorder.getIntervalHistogram());
    return total.copy();
  }

  double sumSeconds() {
    return seconds.sum();
  }
}
