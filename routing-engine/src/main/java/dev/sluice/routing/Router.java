package dev.sluice.routing;

import dev.sluice.routing.config.MemberConfig;
import dev.sluice.routing.config.PoolConfig;
import dev.sluice.routing.config.RoutesConfig;
import dev.sluice.routing.config.RuleConfig;
import dev.sluice.routing.config.TenantConfig;
import dev.sluice.routing.rules.MatchContext;
import dev.sluice.routing.rules.RuleSet;
import dev.sluice.routing.rules.TextPattern;
import dev.sluice.routing.select.MemberVerdict;
import dev.sluice.routing.select.PoolSelector;
import dev.sluice.routing.select.Selection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The front door of the routing engine: {@code route(envelope, snapshot) → Decision}.
 *
 * <p>For one recipient: resolve the tenant; find the first matching rule; honour the routing header
 * if the tenant may steer toward that pool; then walk the pool chain (the rule's pool, then its
 * fallbacks, depth first) skipping pools not granted to the tenant, and pick a member in the first
 * pool that has an eligible one. Thread-safe; the only state it keeps between decisions is the
 * round-robin position of each pool, so one router serves one policy for its lifetime (a reload
 * builds a new one).
 */
public final class Router {
  private static final Set<String> ONLY_TENANT = Set.of(MemberVerdict.Reason.TENANT.label());

  private final RoutesConfig config;
  private final RuleSet rules;
  private final DestinationMap destinations;
  private final TenantResolver tenants;
  private final Map<String, PoolSelector> selectors = new HashMap<>();

  /** The pool chain of each rule, by rule index, and of each pool when steered to. */
  private final List<List<String>> ruleChains = new ArrayList<>();

  private final Map<String, List<String>> poolChains = new HashMap<>();
  private final String messageTypeKey;
  private final String priorityKey;

  public Router(RoutesConfig config) {
    this.config = config;
    this.rules = new RuleSet(config.rules());
    this.destinations = new DestinationMap(config.destinations().values());
    this.tenants = new TenantResolver(config.tenants().values());
    for (PoolConfig pool : config.pools().values()) {
      selectors.put(pool.name(), new PoolSelector(pool));
      poolChains.put(pool.name(), chain(pool.name(), Optional.empty()));
    }
    for (RuleConfig rule : config.rules()) {
      ruleChains.add(chain(rule.route().pool(), rule.route().fallback()));
    }
    this.messageTypeKey = Headers.key(config.settings().messageTypeHeader());
    this.priorityKey = Headers.key(config.settings().priorityHeader());
  }

  public RoutesConfig config() {
    return config;
  }

  /** The destination (provider group) of a recipient domain. */
  public String destinationOf(String domain) {
    return destinations.forDomain(domain);
  }

  /**
   * The destination an MX host belongs to by the destinations' {@code mx_suffixes}, or {@code
   * default}.
   */
  public String destinationOfMxHost(String host) {
    return destinations.forMxHost(host);
  }

  /**
   * The tenant a message belongs to (SMTP AUTH, else client network, else sender domain), as {@link
   * #route} resolves it; empty when none is identified.
   */
  public Optional<String> tenantOf(Envelope envelope) {
    return tenants.resolve(envelope).map(TenantResolver.Resolved::name);
  }

  /** Routes one message to one recipient as the world stands in {@code snapshot}. */
  public Decision route(Envelope envelope, RoutingSnapshot snapshot) {
    Trace.Builder trace = new Trace.Builder();
    Optional<TenantResolver.Resolved> resolved = tenants.resolve(envelope);
    Optional<String> tenant = resolved.map(TenantResolver.Resolved::name);
    Optional<TenantConfig> plan = tenant.flatMap(config::tenant);
    if (resolved.isPresent()) {
      TenantResolver.Resolved r = resolved.get();
      boolean unknown = plan.isEmpty();
      trace.add(
          "tenant",
          r.name(),
          () -> r.how() + (unknown ? "; not in routes.yaml, no plan limits" : ""));
    } else {
      trace.add("tenant", "-", "none identified; every pool is open");
    }

    String recipientDomain = envelope.recipientDomain();
    String destination = destinations.forDomain(recipientDomain);
    MatchContext context =
        new MatchContext(
            envelope.recipient(),
            recipientDomain,
            envelope.senderDomain(),
            destination,
            messageType(envelope),
            headerPriority(envelope),
            tenant,
            envelope.clientAddress(),
            envelope.headers(),
            snapshot.now());

    int index = rules.firstMatch(context);
    rules
        .overlongPatternHeaders(envelope.headers())
        .forEach(
            (name, length) ->
                trace.add(
                    "header",
                    name,
                    () ->
                        "a value of "
                            + length
                            + " characters, over "
                            + TextPattern.MAX_PATTERN_INPUT
                            + ": glob and regex tests do not match it"));
    if (index < 0) {
      trace.add("rule", "-", "no rule matched (" + rules.size() + " rules, no catch-all)");
      trace.add("decision", "REFUSE", Decision.Reason.NO_RULE_MATCHED.name());
      return new Decision.Refuse(Decision.Reason.NO_RULE_MATCHED, "", trace.build());
    }
    RuleConfig rule = rules.get(index);
    trace.add(
        "rule",
        rule.name(),
        () ->
            "matched (#"
                + (index + 1)
                + " of "
                + rules.size()
                + "): "
                + rule.match().explain(context));

    Optional<String> steered = steer(envelope, tenant, plan, trace);
    List<String> chain =
        steered.isPresent() ? poolChains.get(steered.get()) : ruleChains.get(index);

    boolean anyGranted = false;
    Set<String> reasons = null;
    for (int i = 0; i < chain.size(); i++) {
      String poolName = chain.get(i);
      String role = i == 0 ? (steered.isPresent() ? "steered pool" : "rule's pool") : null;
      int fallbackNumber = i;
      Supplier<String> roleText = () -> role != null ? role : "fallback #" + fallbackNumber;
      if (plan.isPresent() && !plan.get().isGranted(poolName)) {
        String planName = plan.get().name();
        trace.add(
            "pool",
            poolName,
            () -> roleText.get() + ": skipped, not granted to tenant " + planName);
        continue;
      }
      anyGranted = true;
      Selection selection =
          selectors
              .get(poolName)
              .select(
                  tenant,
                  destination,
                  envelope.recipient(),
                  recipientDomain,
                  snapshot.eligibility());
      boolean found = selection.chosen().isPresent();
      trace.add(
          "pool",
          poolName,
          () -> roleText.get() + (found ? "" : ": no eligible member, falls through"));
      for (Selection.Dropped d : selection.dropped()) {
        if (reasons == null) {
          reasons = new TreeSet<>();
        }
        reasons.add(d.verdict().reason().label());
        trace.add(
            "member",
            d.member().name(),
            () ->
                "dropped: "
                    + d.verdict().reason().label()
                    + (d.verdict().detail().isEmpty() ? "" : " (" + d.verdict().detail() + ")"));
      }
      if (selection.chosen().isPresent()) {
        MemberConfig member = selection.chosen().get();
        trace.add("member", member.name(), () -> "chosen: " + selection.how());
        int priority =
            rule.route()
                .priority()
                .orElse(context.priority().orElse(config.settings().defaultPriority()));
        trace.add(
            "decision",
            "DELIVER",
            () ->
                poolName
                    + "/"
                    + member.name()
                    + " ("
                    + member.pathDescription()
                    + "), priority "
                    + priority
                    + ", destination "
                    + destination);
        return new Decision.Deliver(
            rule.name(),
            poolName,
            member,
            destination,
            priority,
            rule.route(),
            tenant,
            trace.build());
      }
    }
    if (!anyGranted) {
      String detail = "tenant " + tenant.orElse("-") + " is granted none of " + chain;
      trace.add("decision", "REFUSE", Decision.Reason.NO_POOL_GRANTED.code(detail));
      return new Decision.Refuse(Decision.Reason.NO_POOL_GRANTED, detail, trace.build());
    }
    if (reasons != null && reasons.equals(ONLY_TENANT)) {
      // Dedicated members stay dedicated: waiting for one would last until the message expires.
      String detail =
          "tenant "
              + tenant.orElse("-")
              + " may use no member of "
              + granted(chain, plan)
              + ": each is dedicated to other tenants";
      trace.add("decision", "REFUSE", Decision.Reason.NO_MEMBER_FOR_TENANT.code(detail));
      return new Decision.Refuse(Decision.Reason.NO_MEMBER_FOR_TENANT, detail, trace.build());
    }
    String detail = reasons == null ? "" : String.join(", ", reasons);
    trace.add("decision", "WAIT", Decision.Reason.NO_ELIGIBLE_MEMBER.code(detail));
    return new Decision.FallThrough(Decision.Reason.NO_ELIGIBLE_MEMBER, detail, trace.build());
  }

  /** The pools of {@code chain} the tenant's plan grants (all of them without a plan). */
  private static List<String> granted(List<String> chain, Optional<TenantConfig> plan) {
    return plan.isEmpty() ? chain : chain.stream().filter(plan.get()::isGranted).toList();
  }

  /** The routing header's pool when it may be honoured; the trace says why it is not otherwise. */
  private Optional<String> steer(
      Envelope envelope,
      Optional<String> tenant,
      Optional<TenantConfig> plan,
      Trace.Builder trace) {
    Optional<String> header = envelope.headers().first(config.settings().routeHeader());
    if (header.isEmpty()) {
      return Optional.empty();
    }
    String wanted = header.get();
    String name = config.settings().routeHeader() + ": " + wanted;
    String refusal = null;
    if (plan.isEmpty()) {
      refusal =
          tenant.isEmpty()
              ? "no tenant identified"
              : "tenant " + tenant.get() + " is not in routes.yaml";
    } else if (!plan.get().maySteer()) {
      refusal = "tenant " + plan.get().name() + " may not steer (may_steer: false)";
    } else if (!config.pools().containsKey(wanted)) {
      refusal = "no pool named '" + wanted + "'";
    } else if (!plan.get().isGranted(wanted)) {
      refusal = "pool " + wanted + " is not granted to tenant " + plan.get().name();
    }
    if (refusal != null) {
      trace.add("steer", name, "ignored: " + refusal);
      return Optional.empty();
    }
    trace.add("steer", name, "honoured: tenant " + plan.get().name() + " may steer to " + wanted);
    return Optional.of(wanted);
  }

  /** The pool and its fallbacks, depth first, each once (validation already refused cycles). */
  private List<String> chain(String pool, Optional<List<String>> ruleFallback) {
    Set<String> out = new LinkedHashSet<>();
    out.add(pool);
    for (String next : ruleFallback.orElse(config.pools().get(pool).fallback())) {
      addWithFallbacks(next, out);
    }
    return List.copyOf(out);
  }

  private void addWithFallbacks(String pool, Set<String> out) {
    if (out.add(pool)) {
      for (String next : config.pools().get(pool).fallback()) {
        addWithFallbacks(next, out);
      }
    }
  }

  private String messageType(Envelope envelope) {
    List<String> values = envelope.headers().byKey(messageTypeKey);
    if (values.isEmpty() || values.get(0).isEmpty()) {
      return config.settings().defaultMessageType();
    }
    return values.get(0).toLowerCase(Locale.ROOT);
  }

  private OptionalInt headerPriority(Envelope envelope) {
    List<String> values = envelope.headers().byKey(priorityKey);
    if (values.isEmpty()) {
      return OptionalInt.empty();
    }
    String value = values.get(0);
    int digits = 0;
    while (digits < value.length() && digits < 3 && Character.isDigit(value.charAt(digits))) {
      digits++;
    }
    if (digits == 0 || digits > 2) {
      return OptionalInt.empty();
    }
    int p = Integer.parseInt(value.substring(0, digits));
    return p >= 1 && p <= 10 ? OptionalInt.of(p) : OptionalInt.empty();
  }
}
