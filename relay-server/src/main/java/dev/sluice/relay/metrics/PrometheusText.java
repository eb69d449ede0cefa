package dev.sluice.relay.metrics;

import java.util.List;

/**
 * Writes the Prometheus text exposition format 0.0.4: per family a {@code # HELP} and a {@code #
 * TYPE} line, then its samples, label values escaped as the format requires (backslash, double
 * quote, newline). Not thread-safe; one per scrape.
 */
public final class PrometheusText {
  /** The Content-Type of a scrape answer. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final StringBuilder out = new StringBuilder(16_384);

  /** Starts a family: {@code type} is counter, gauge, summary or untyped. */
  public PrometheusText family(String name, String type, String help) {
    out.append("# HELP ")
        .append(name)
        .append(' ')
        .append(help.replace("\\", "\\\\").replace("\n", "\\n"))
        .append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    return this;
  }

  /** One sample of {@code name} with labels {@code names[i]="values[i]"}. */
  public PrometheusText sample(String name, List<String> names, List<String> values, double value) {
    out.append(name);
    if (!names.isEmpty()) {
      out.append('{');
      for (int i = 0; i < names.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        out.append(names.get(i)).append("=\"").append(escape(values.get(i))).append('"');
      }
      out.append('}');
    }
    out.append(' ').append(number(value)).append('\n');
    return this;
  }

  /** A sample without labels. */
  public PrometheusText sample(String name, double value) {
    return sample(name, List.of(), List.of(), value);
  }

  static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  /** Whole numbers without a fraction; NaN and infinities as Prometheus spells them. */
  static String number(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
