package dev.sluice.routing.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CalendarWindowTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  @Test
  void anHourIsTheLocalHourWithItsId() {
    CalendarWindow w = CalendarWindow.hour(Instant.parse("2026-11-23T13:42:10Z"), BERLIN);
    assertThat(w.id()).isEqualTo("2026-11-23T14");
    assertThat(w.start()).isEqualTo(Instant.parse("2026-11-23T13:00:00Z"));
    assertThat(w.end()).isEqualTo(Instant.parse("2026-11-23T14:00:00Z"));
  }

  @Test
  void aDayIsTheLocalDayWithItsId() {
    CalendarWindow w = CalendarWindow.day(Instant.parse("2026-11-23T23:30:00Z"), BERLIN);
    assertThat(w.id()).isEqualTo("2026-11-24");
    assertThat(w.start()).isEqualTo(Instant.parse("2026-11-23T23:00:00Z"));
    assertThat(w.end()).isEqualTo(Instant.parse("2026-11-24T23:00:00Z"));
    assertThat(CalendarWindow.date(Instant.parse("2026-11-23T23:30:00Z"), ZoneOffset.UTC))
        .isEqualTo(LocalDate.of(2026, 11, 23));
  }

  @Test
  void theDayTheClocksGoForwardLasts23Hours() {
    CalendarWindow w = CalendarWindow.day(Instant.parse("2026-03-29T12:00:00Z"), BERLIN);
    assertThat(w.id()).isEqualTo("2026-03-29");
    assertThat(Duration.between(w.start(), w.end())).isEqualTo(Duration.ofHours(23));
  }

  @Test
  void theDayTheClocksGoBackLasts25Hours() {
    CalendarWindow w = CalendarWindow.day(Instant.parse("2026-10-25T12:00:00Z"), BERLIN);
    assertThat(w.id()).isEqualTo("2026-10-25");
    assertThat(Duration.between(w.start(), w.end())).isEqualTo(Duration.ofHours(25));
  }

  @Test
  void theHourBeforeTheClocksGoForwardEndsAtTheNextLocalHour() {
    // 01:30 CET; the next local hour is 03:00 CEST, one real hour later
    CalendarWindow w = CalendarWindow.hour(Instant.parse("2026-03-29T00:30:00Z"), BERLIN);
    assertThat(w.id()).isEqualTo("2026-03-29T01");
    assertThat(w.end()).isEqualTo(Instant.parse("2026-03-29T01:00:00Z"));
    assertThat(CalendarWindow.hour(w.end(), BERLIN).id()).isEqualTo("2026-03-29T03");
  }

  @Test
  void theRepeatedHourIsTwoWindowsThatDoNotOverlap() {
    CalendarWindow first = CalendarWindow.hour(Instant.parse("2026-10-25T00:30:00Z"), BERLIN);
    CalendarWindow second = CalendarWindow.hour(Instant.parse("2026-10-25T01:30:00Z"), BERLIN);
    assertThat(first.id()).isEqualTo("2026-10-25T02").isEqualTo(second.id());
    assertThat(first.start()).isEqualTo(Instant.parse("2026-10-25T00:00:00Z"));
    assertThat(first.end()).isEqualTo(second.start());
    assertThat(second.end()).isEqualTo(Instant.parse("2026-10-25T02:00:00Z"));
  }
}
