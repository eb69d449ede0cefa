package dev.sluice.relay.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A counter with labels, e.g. {@code sluice_recipients_delivered_total{pool,member,…}}. Label
 * values must come from a bounded set (names from routes.yaml, categories), never from addresses.
 * Thread-safe.
 */
public final class CounterFamily {
  private final String name;
  private final String help;
  private final List<String> labels;
  private final Map<List<String>, LongAdder> series = new ConcurrentHashMap<>();

  public CounterFamily(String name, String help, String... labels) {
    this.name = name;
    this.help = help;
    this.labels = List.of(labels);
  }

  /** Adds one to the series with these label values (null is written as empty). */
  public void inc(String... values) {
    add(1, values);
  }

  public void add(long amount, String... values) {
    if (values.length != labels.size()) {
      throw new IllegalArgumentException(name + " takes labels " + labels);
    }
    List<String> key = new ArrayList<>(values.length);
    for (String v : values) {
      key.add(v == null ? "" : v);
    }
    series.computeIfAbsent(List.copyOf(key), k -> new LongAdder()).add(amount);
  }

  /** The value of one series, 0 when it was never counted. */
  public long value(String... values) {
    LongAdder a = series.get(List.of(values));
    return a == null ? 0 : a.sum();
  }

  void write(PrometheusText out) {
    out.family(name, "counter", help);
    series.entrySet().stream()
        .sorted(Map.Entry.comparingByKey(CounterFamily::compare))
        .forEach(e -> out.sample(name, labels, e.getKey(), e.getValue().sum()));
  }

  static int compare(List<String> a, List<String> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = a.get(i).compareTo(b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }
}
