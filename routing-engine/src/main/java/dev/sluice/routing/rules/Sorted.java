package dev.sluice.routing.rules;

import java.util.Collection;
import java.util.List;

/** Sorted views of unordered sets, so explanations read the same every time. */
final class Sorted {
  private Sorted() {}

  static List<String> of(Collection<String> values) {
    return values.stream().sorted().toList();
  }
}
