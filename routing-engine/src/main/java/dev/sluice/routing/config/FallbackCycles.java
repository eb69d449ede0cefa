package dev.sluice.routing.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds loops in the pools' fallback lists by one depth-first walk that colours each pool
 * unvisited, on the current path, or done: linear in pools and fallbacks, where following every
 * path was exponential on a chain of pools that each fall back to the next two.
 */
final class FallbackCycles {
  private final Map<String, PoolConfig> pools;
  private final Map<String, Integer> fileOrder = new HashMap<>();

  /** Pools on the current path (false) or done with (true); absent: not visited yet. */
  private final Map<String, Boolean> done = new HashMap<>();

  private final List<String> path = new ArrayList<>();
  private final List<List<String>> cycles = new ArrayList<>();

  private FallbackCycles(Map<String, PoolConfig> pools) {
    this.pools = pools;
    for (String name : pools.keySet()) {
      fileOrder.put(name, fileOrder.size());
    }
  }

  /**
   * Every cycle the walk closes, each once, as pool names from its first pool in file order back to
   * it ({@code a, b, c, a}). Empty when no fallback chain loops; when one does, at least one of its
   * cycles is listed.
   *
   * @param pools by name, in file order
   */
  static List<List<String>> of(Map<String, PoolConfig> pools) {
    FallbackCycles walk = new FallbackCycles(pools);
    for (String name : pools.keySet()) {
      if (!walk.done.containsKey(name)) {
        walk.visit(name);
      }
    }
    return walk.cycles;
  }

  private void visit(String name) {
    done.put(name, false);
    path.add(name);
    for (String next : pools.get(name).fallback()) {
      Boolean state = done.get(next);
      if (state == null && pools.containsKey(next)) {
        visit(next);
      } else if (Boolean.FALSE.equals(state)) {
        cycles.add(fromFirstInFile(path.subList(path.indexOf(next), path.size())));
      }
    }
    path.remove(path.size() - 1);
    done.put(name, true);
  }

  /** The loop (each pool once) turned to start and end at its earliest pool in the file. */
  private List<String> fromFirstInFile(List<String> loop) {
    int first = 0;
    for (int i = 1; i < loop.size(); i++) {
      if (fileOrder.get(loop.get(i)) < fileOrder.get(loop.get(first))) {
        first = i;
      }
    }
    List<String> cycle = new ArrayList<>(loop.subList(first, loop.size()));
    cycle.addAll(loop.subList(0, first));
    cycle.add(cycle.get(0));
    return List.copyOf(cycle);
  }
}
