package dev.sluice.relay.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.Histogram;

/** A summary with labels, each series backed by its own HdrHistogram. Thread-safe. */
public final class SummaryFamily {
  private final String name;
  private final String help;
  private final List<String> labels;
  private final Map<List<String>, LatencySummary> series = new ConcurrentHashMap<>();

  public SummaryFamily(String name, String help, String... labels) {
    this.name = name;
    this.help = help;
    this.labels = List.of(labels);
  }

  /** Records a duration in microseconds for the series with these label values. */
  public void record(long micros, String... values) {
    List<String> key = new ArrayList<>(values.length);
    for (String v : values) {
      key.add(v == null ? "" : v);
    }
    series.computeIfAbsent(List.copyOf(key), k -> new LatencySummary()).record(micros);
  }

  void write(PrometheusText out) {
    out.family(name, "summary", help);
    series.entrySet().stream()
        .sorted(Map.Entry.comparingByKey(CounterFamily::compare))
        .forEach(
            e ->
                write(
                    out,
                    name,
                    labels,
                    e.getKey(),
                    e.getValue().snapshot(),
                    e.getValue().sumSeconds()));
  }

  /** The samples of one series of a histogram in microseconds: quantiles, sum (seconds), count. */
  public static void write(
      PrometheusText out,
      String name,
      List<String> labels,
      List<String> values,
      Histogram h,
      double sumSeconds) {
    List<String> names = new ArrayList<>(labels);
    names.add("quantile");
    for (double q : LatencySummary.QUANTILES) {
      List<String> v = new ArrayList<>(values);
      v.add(PrometheusText.number(q));
      double value = h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(q * 100) / 1e6;
      out.sample(name, names, v, value);
    }
    out.sample(name + "_sum", labels, values, sumSeconds);
    out.sample(name + "_count", labels, values, h.getTotalCount());
  }
}
