package dev.sluice.routing.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a YAML document as a tree of nodes that remember their line and column, and collects every
 * problem as a {@link ConfigError} instead of stopping at the first. Shared by every loader of
 * Sluice's YAML files (routes.yaml here, sluice.yaml in the server). Only the node graph is
 * composed: no object is ever constructed from tags, so hostile YAML cannot instantiate anything.
 */
public final class YamlReader {
  private static final int MAX_ALIASES = 50;
  private static final int MAX_CODE_POINTS = 16 * 1024 * 1024;

  /** How deep the document may nest, aliases expanded: snakeyaml's limit for the written text. */
  static final int MAX_DEPTH = 50;

  /** How many nodes aliases may add to the document as written (the "billion laughs" bound). */
  static final long MAX_ALIAS_EXPANSION = 100_000;

  private final String file;
  private final List<ConfigError> errors = new ArrayList<>();

  public YamlReader(String file) {
    this.file = file;
  }

  /**
   * Composes the document; an empty document or a syntax error gives empty (the latter reported).
   * So does a document whose aliases make it recursive, nest it deeper than {@value #MAX_DEPTH}
   * levels or add more than {@value #MAX_ALIAS_EXPANSION} nodes: every reader walks the expanded
   * tree, which a few hundred bytes of aliases can make endless or exponential.
   */
  public Optional<Node> compose(String text) {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(MAX_ALIASES);
    options.setCodePointLimit(MAX_CODE_POINTS);
    options.setNestingDepthLimit(MAX_DEPTH);
    options.setAllowDuplicateKeys(true); // reported below with a position, not thrown
    try {
      Optional<Node> root =
          Optional.ofNullable(new Yaml(options).compose(new java.io.StringReader(text)));
      return root.filter(r -> new AliasCheck().accepts(r));
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
      errors.add(
          new ConfigError(
              file,
              mark == null ? 1 : mark.getLine() + 1,
              mark == null ? 1 : mark.getColumn() + 1,
              "YAML syntax: " + problem));
      return Optional.empty();
    } catch (YAMLException e) {
      errors.add(new ConfigError(file, 1, 1, "YAML: " + e.getMessage()));
      return Optional.empty();
    }
  }

  public List<ConfigError> errors() {
    return errors;
  }

  public String file() {
    return file;
  }

  public void error(Node at, String message) {
    Mark mark = at.getStartMark();
    errors.add(new ConfigError(file, mark.getLine() + 1, mark.getColumn() + 1, message));
  }

  /**
   * Reads a mapping whose keys must be among {@code allowed}; unknown keys, duplicate keys and
   * non-mappings are reported. YAML merge keys ({@code <<: *anchor}) are applied, explicit keys
   * winning. Returns empty when {@code node} is not a mapping.
   */
  public Optional<Fields> fields(Node node, String what, Collection<String> allowed) {
    Optional<Map<String, Entry>> entries = entries(node, what);
    if (entries.isEmpty()) {
      return Optional.empty();
    }
    for (Entry e : entries.get().values()) {
      if (!allowed.contains(e.key())) {
        error(
            e.keyNode(),
            "unknown key '" + e.key() + "' in " + what + Suggestions.hint(e.key(), allowed));
      }
    }
    return Optional.of(new Fields(node, entries.get()));
  }

  /** Reads a mapping whose keys are names chosen by the user (pools, tenants…), in file order. */
  public Optional<Map<String, Entry>> entries(Node node, String what) {
    if (!(node instanceof MappingNode mapping)) {
      error(node, what + " must be a mapping (key: value)");
      return Optional.empty();
    }
    Map<String, Entry> out = new LinkedHashMap<>();
    List<NodeTuple> merged = new ArrayList<>();
    for (NodeTuple t : mapping.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode key)) {
        error(t.getKeyNode(), "keys in " + what + " must be plain names");
        continue;
      }
      if ("<<".equals(key.getValue())) {
        merged.addAll(mergeSources(t.getValueNode(), what));
        continue;
      }
      if (out.containsKey(key.getValue())) {
        error(key, "duplicate key '" + key.getValue() + "' in " + what);
        continue;
      }
      out.put(key.getValue(), new Entry(key.getValue(), key, t.getValueNode()));
    }
    for (NodeTuple t : merged) {
      if (t.getKeyNode() instanceof ScalarNode key && !out.containsKey(key.getValue())) {
        out.put(key.getValue(), new Entry(key.getValue(), key, t.getValueNode()));
      }
    }
    return Optional.of(out);
  }

  /**
   * The entries a merge key brings, in the order that decides which wins (the first): each source
   * in turn, its own keys before those it merges itself. The alias check has refused a source that
   * contains itself, so the recursion ends.
   */
  private List<NodeTuple> mergeSources(Node value, String what) {
    List<NodeTuple> out = new ArrayList<>();
    List<Node> sources = value instanceof SequenceNode seq ? seq.getValue() : List.<Node>of(value);
    for (Node source : sources) {
      if (source instanceof MappingNode m) {
        List<NodeTuple> nested = new ArrayList<>();
        for (NodeTuple t : m.getValue()) {
          if (t.getKeyNode() instanceof ScalarNode key && "<<".equals(key.getValue())) {
            nested.addAll(mergeSources(t.getValueNode(), what));
          } else {
            out.add(t);
          }
        }
        out.addAll(nested);
      } else {
        error(source, "a merge key (<<) in " + what + " must refer to a mapping");
      }
    }
    return out;
  }

  /**
   * A scalar value of a mapping, read without reporting anything, e.g. a rule's name for messages.
   */
  public static Optional<String> peek(Node node, String key) {
    if (node instanceof MappingNode mapping) {
      for (NodeTuple t : mapping.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode k
            && k.getValue().equals(key)
            && t.getValueNode() instanceof ScalarNode v) {
          return Optional.of(v.getValue());
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The keys of a mapping as {@link #entries} reads them, merged keys included, without reporting
   * anything (empty for other nodes): the names other sections may refer to.
   */
  public static Set<String> keys(Node node) {
    return new LinkedHashSet<>(new YamlReader("").entries(node, "").orElse(Map.of()).keySet());
  }

  /** A scalar as text; reports and returns empty for lists and mappings. */
  public Optional<String> string(Node node, String what) {
    if (node instanceof ScalarNode s) {
      return Optional.of(s.getValue());
    }
    error(node, what + " must be a single value, not a " + kind(node));
    return Optional.empty();
  }

  /**
   * A scalar that must pass {@code valid}; otherwise {@code what: 'value' is not <expected>} is
   * reported and the result is empty.
   */
  public Optional<String> string(
      Node node, String what, java.util.function.Predicate<String> valid, String expected) {
    return string(node, what)
        .filter(
            value -> {
              if (valid.test(value)) {
                return true;
              }
              error(node, what + ": '" + value + "' is not " + expected);
              return false;
            });
  }

  /** A list, where a single scalar counts as a list of one. */
  public List<Node> list(Node node, String what) {
    if (node instanceof SequenceNode seq) {
      return seq.getValue();
    }
    if (node instanceof ScalarNode s && s.getValue().isEmpty()) {
      return List.of();
    }
    if (node instanceof ScalarNode) {
      return List.of(node);
    }
    error(node, what + " must be a value or a list of values, not a mapping");
    return List.of();
  }

  /** A list of scalars as text. */
  public List<String> strings(Node node, String what) {
    List<String> out = new ArrayList<>();
    for (Node item : list(node, what)) {
      string(item, "each entry of " + what).ifPresent(out::add);
    }
    return out;
  }

  /** An integer within bounds; counts such as {@code 10k} are accepted. */
  public OptionalInt integer(Node node, String what, long min, long max) {
    Optional<Long> n = parsed(node, what, dev.sluice.routing.units.Counts::parse);
    if (n.isEmpty()) {
      return OptionalInt.empty();
    }
    if (n.get() < min || n.get() > max) {
      error(node, what + " must be between " + min + " and " + max + ", not " + n.get());
      return OptionalInt.empty();
    }
    return OptionalInt.of(n.get().intValue());
  }

  public Optional<Boolean> bool(Node node, String what) {
    return string(node, what)
        .flatMap(
            s ->
                switch (s.toLowerCase(java.util.Locale.ROOT)) {
                  case "true", "yes", "on" -> Optional.of(true);
                  case "false", "no", "off" -> Optional.of(false);
                  default -> {
                    error(node, what + " must be true or false, not '" + s + "'");
                    yield Optional.empty();
                  }
                });
  }

  /** A scalar run through a unit parser; a parse failure is reported with the parser's message. */
  public <T> Optional<T> parsed(Node node, String what, Function<String, T> parser) {
    Optional<String> text = string(node, what);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(parser.apply(text.get()));
    } catch (IllegalArgumentException e) { // UnitFormatException included
      error(node, what + ": " + e.getMessage());
    }
    return Optional.empty();
  }

  /** One of a fixed set of words. */
  public <E extends Enum<E>> Optional<E> choice(Node node, String what, Map<String, E> words) {
    Optional<String> text = string(node, what);
    if (text.isPresent() && !words.containsKey(text.get())) {
      error(
          node,
          what
              + " must be one of "
              + String.join(", ", words.keySet())
              + ", not '"
              + text.get()
              + "'"
              + Suggestions.hint(text.get(), words.keySet()));
      return Optional.empty();
    }
    return text.map(words::get);
  }

  private static String kind(Node node) {
    return node instanceof SequenceNode ? "list" : "mapping";
  }

  /**
   * Measures the tree the node graph stands for, each shared (anchored) node once: its depth and
   * size with aliases expanded. Reports the first node that is its own descendant or nests too
   * deep, or the root when repetitions exceed the expansion bound; stops at the first problem.
   */
  private final class AliasCheck {
    /** The expanded tree under one node: levels of collections, and nodes. */
    private record Extent(long levels, long nodes) {
      static final Extent NONE = new Extent(0, 0);
    }

    private final Map<Node, Extent> measured = new java.util.IdentityHashMap<>();
    private final Set<Node> open =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private boolean failed;

    boolean accepts(Node root) {
      Extent extent = measure(root);
      if (!failed && extent.nodes() - measured.size() > MAX_ALIAS_EXPANSION) {
        fail(root, "aliases repeat more than " + MAX_ALIAS_EXPANSION + " nodes of this document");
      }
      return !failed;
    }

    private Extent measure(Node node) {
      if (failed) {
        return Extent.NONE;
      }
      Extent known = measured.get(node);
      if (known != null) {
        return known;
      }
      if (!open.add(node)) {
        return fail(node, "this node contains itself through an alias");
      }
      if (open.size() > MAX_DEPTH + 1) { // + 1: the scalar at the bottom is no level
        return fail(node, "nested deeper than " + MAX_DEPTH + " levels once aliases are expanded");
      }
      long levels = 0;
      long nodes = 1;
      for (Node child : children(node)) {
        Extent e = measure(child);
        levels = Math.max(levels, e.levels());
        nodes = Math.min(nodes + e.nodes(), Long.MAX_VALUE / 2);
      }
      open.remove(node);
      levels += node instanceof ScalarNode ? 0 : 1;
      if (levels > MAX_DEPTH) {
        return fail(node, "nested deeper than " + MAX_DEPTH + " levels once aliases are expanded");
      }
      Extent extent = new Extent(levels, nodes);
      measured.put(node, extent);
      return extent;
    }

    private Extent fail(Node at, String message) {
      if (!failed) {
        failed = true;
        error(at, "YAML: " + message);
      }
      return Extent.NONE;
    }

    private static List<Node> children(Node node) {
      if (node instanceof SequenceNode seq) {
        return seq.getValue();
      }
      List<Node> out = new ArrayList<>();
      if (node instanceof MappingNode mapping) {
        for (NodeTuple t : mapping.getValue()) {
          out.add(t.getKeyNode());
          out.add(t.getValueNode());
        }
      }
      return out;
    }
  }

  /** One key of a mapping, with the nodes of the key (for "unknown key" errors) and the value. */
  public record Entry(String key, Node keyNode, Node value) {}

  /** A mapping read as named fields. */
  public record Fields(Node node, Map<String, Entry> entries) {
    public Optional<Node> get(String key) {
      Entry e = entries.get(key);
      return e == null ? Optional.empty() : Optional.of(e.value());
    }

    public boolean has(String key) {
      return entries.containsKey(key);
    }
  }
}
