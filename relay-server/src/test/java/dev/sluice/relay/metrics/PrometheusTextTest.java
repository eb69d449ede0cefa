package dev.sluice.relay.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {
  @Test
  void escapesLabelValuesAndHelpAsTheTextFormatRequires() {
    String text =
        new PrometheusText()
            .family("x_total", "counter", "a \\ and a\nnewline")
            .sample("x_total", List.of("member"), List.of("a\"b\\c\nd"), 3)
            .toString();
    assertThat(text)
        .isEqualTo(
            "# HELP x_total a \\\\ and a\\nnewline\n"
                + "# TYPE x_total counter\n"
                + "x_total{member=\"a\\\"b\\\\c\\nd\"} 3\n");
  }

  @Test
  void writesNumbersAsPrometheusReadsThem() {
    assertThat(PrometheusText.number(42)).isEqualTo("42");
    assertThat(PrometheusText.number(0.25)).isEqualTo("0.25");
    assertThat(PrometheusText.number(Double.NaN)).isEqualTo("NaN");
    assertThat(PrometheusText.number(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
  }

  @Test
  void aSummaryHasItsQuantilesSumAndCountInSeconds() {
    SummaryFamily f = new SummaryFamily("lat_seconds", "latency", "member");
    f.record(1_000, "m");
    f.record(3_000, "m");
    PrometheusText out = new PrometheusText();
    f.write(out);
    assertThat(out.toString())
        .contains("lat_seconds{member=\"m\",quantile=\"0.5\"} 0.001")
        .contains("lat_seconds{member=\"m\",quantile=\"0.99\"} 0.003")
        .contains("lat_seconds_sum{member=\"m\"} 0.004\n")
        .contains("lat_seconds_count{member=\"m\"} 2\n");
  }
}
