package dev.sluice.relay.events;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One thing that happened, as logs, webhooks, metrics and the admin API see it: a type ({@code
 * delivered}, {@code member_down} …), when, and the fields that apply, in a stable order. Only
 * fields that are present are kept; values are strings or numbers. Never holds a secret: only
 * names, addresses and remote replies go in. Immutable.
 *
 * @param fields {@code message_id}, {@code tenant}, {@code rule}, {@code pool}, {@code member},
 *     {@code destination}, {@code recipient}, {@code reply} … (see the package documentation)
 */
public record Event(String type, Instant at, Map<String, Object> fields) {
  public Event {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(at, "at");
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  /** Starts an event of {@code type} at {@code at}. */
  public static Builder of(String type, Instant at) {
    return new Builder(type, at);
  }

  /** A field as text, or null when absent. */
  public String text(String field) {
    Object v = fields.get(field);
    return v == null ? null : v.toString();
  }

  /** A numeric field, or -1 when absent. */
  public long number(String field) {
    return fields.get(field) instanceof Number n ? n.longValue() : -1;
  }

  /** {@code type}, {@code at}, then the fields: the shape of a JSON log line and of the API. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", type);
    m.put("at", at.toString());
    m.putAll(fields);
    return m;
  }

  /** Collects the fields of one event; absent (null or empty) values are left out. */
  public static final class Builder {
    private final String type;
    private final Instant at;
    private final Map<String, Object> fields = new LinkedHashMap<>();

    private Builder(String type, Instant at) {
      this.type = type;
      this.at = at;
    }

    public Builder with(String field, String value) {
      if (value != null && !value.isEmpty()) {
        fields.put(field, value);
      }
      return this;
    }

    public Builder with(String field, long value) {
      fields.put(field, value);
      return this;
    }

    public Event build() {
      return new Event(type, at, fields);
    }
  }
}
