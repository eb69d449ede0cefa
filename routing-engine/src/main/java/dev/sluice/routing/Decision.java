package dev.sluice.routing;

import dev.sluice.routing.config.MemberConfig;
import dev.sluice.routing.config.RouteAction;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of routing one message to one recipient. Decisions are values, never exceptions:
 * every outcome carries the {@link Trace} that explains it.
 */
public sealed interface Decision {
  Trace trace();

  /** One line for logs and the CLI. */
  String summary();

  /**
   * Deliver through {@code member} of {@code pool}.
   *
   * @param rule the rule that matched
   * @param destination the destination the recipient belongs to (for its limits)
   * @param priority 1 (most urgent) to 10
   * @param tenant the tenant the message was attributed to, if any
   */
  record Deliver(
      String rule,
      String pool,
      MemberConfig member,
      String destination,
      int priority,
      RouteAction route,
      Optional<String> tenant,
      Trace trace)
      implements Decision {
    public Deliver {
      Objects.requireNonNull(rule, "rule");
      Objects.requireNonNull(pool, "pool");
      Objects.requireNonNull(member, "member");
      Objects.requireNonNull(destination, "destination");
      Objects.requireNonNull(route, "route");
      Objects.requireNonNull(tenant, "tenant");
      Objects.requireNonNull(trace, "trace");
    }

    @Override
    public String summary() {
      return "DELIVER via "
          + pool
          + "/"
          + member.name()
          + " ("
          + member.pathDescription()
          + ") rule "
          + rule
          + " priority "
          + priority;
    }
  }

  /**
   * Every pool of the chain fell through: no member is eligible now (down, suspended, out of quota
   * or warmup allowance). The message waits and is routed again at its next attempt.
   */
  record FallThrough(Reason reason, String detail, Trace trace) implements Decision {
    public FallThrough {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
      Objects.requireNonNull(trace, "trace");
    }

    @Override
    public String summary() {
      return "WAIT " + reason.code(detail);
    }
  }

  /** The message cannot be routed by this policy at all; waiting would not help. */
  record Refuse(Reason reason, String detail, Trace trace) implements Decision {
    public Refuse {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
      Objects.requireNonNull(trace, "trace");
    }

    @Override
    public String summary() {
      return "REFUSE " + reason.code(detail);
    }
  }

  /** Why nothing was delivered; printed as {@code NO_ELIGIBLE_MEMBER: quota}. */
  enum Reason {
    /** No rule matched and the policy has no catch-all. */
    NO_RULE_MATCHED,
    /** None of the pools the rule leads to is granted to the tenant. */
    NO_POOL_GRANTED,
    /** Pools were granted but none has an eligible member now. */
    NO_ELIGIBLE_MEMBER,
    /**
     * Every member of the granted pools is dedicated to other tenants ({@code tenants:} of a
     * member), so none will ever take this message.
     */
    NO_MEMBER_FOR_TENANT;

    public String code(String detail) {
      return detail.isEmpty() ? name() : name() + ": " + detail;
    }
  }
}
