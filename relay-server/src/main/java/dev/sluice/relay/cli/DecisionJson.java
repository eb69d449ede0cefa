package dev.sluice.relay.cli;

import dev.sluice.routing.Decision;
import dev.sluice.routing.Envelope;
import dev.sluice.routing.Trace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON shape of a routing decision: what {@code sluice route --json} prints, and what the admin
 * API answers for a route dry run and shows as a message's decisions.
 */
public final class DecisionJson {
  private DecisionJson() {}

  public static Map<String, Object> of(Envelope envelope, Decision decision) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("from", envelope.sender());
    out.put("to", envelope.recipient());
    out.put("summary", decision.summary());
    if (decision instanceof Decision.Deliver d) {
      out.put("decision", "deliver");
      out.put("rule", d.rule());
      out.put("pool", d.pool());
      out.put("member", d.member().name());
      out.put("path", d.member().pathDescription());
      out.put("destination", d.destination());
      out.put("priority", d.priority());
      out.put("tenant", d.tenant().orElse(null));
      out.put("tags", d.route().tags());
    } else if (decision instanceof Decision.FallThrough f) {
      out.put("decision", "wait");
      out.put("reason", f.reason().code(f.detail()));
    } else if (decision instanceof Decision.Refuse r) {
      out.put("decision", "refuse");
      out.put("reason", r.reason().code(r.detail()));
    }
    List<Map<String, String>> steps = new ArrayList<>();
    for (Trace.Step s : decision.trace().steps()) {
      Map<String, String> step = new LinkedHashMap<>();
      step.put("step", s.kind());
      step.put("subject", s.subject());
      step.put("outcome", s.outcome());
      steps.add(step);
    }
    out.put("trace", steps);
    return out;
  }
}
