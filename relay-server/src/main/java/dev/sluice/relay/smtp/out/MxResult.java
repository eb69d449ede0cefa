package dev.sluice.relay.smtp.out;

import java.util.List;
import java.util.Objects;

/** Where mail for a domain goes, as DNS says. */
public sealed interface MxResult {

  /**
   * Hosts in preference order (lowest first; equal preferences in random order), each with its
   * addresses (A and AAAA) resolved. {@code implicit} is true when the domain had no MX and its own
   * A/AAAA is used (RFC 5321 §5.1).
   */
  record Hosts(List<MxHost> hosts, boolean implicit) implements MxResult {
    public Hosts {
      hosts = List.copyOf(hosts);
      if (hosts.isEmpty()) {
        throw new IllegalArgumentException("a Hosts result needs at least one host");
      }
    }
  }

  /** RFC 7505 null MX ({@code 0 .}): the domain accepts no mail — bounce with 5.1.10. */
  record NullMx() implements MxResult {}

  /**
   * NXDOMAIN, or neither MX nor A/AAAA exists, or no MX host has an address: bounce with 5.1.2.
   *
   * @param detail which of these it was, for the DSN and the log
   */
  record NoSuchDomain(String detail) implements MxResult {
    public NoSuchDomain {
      Objects.requireNonNull(detail, "detail");
    }
  }

  /**
   * SERVFAIL, timeout, refused, or every MX host unresolvable for now: defer, 4.4.3.
   *
   * @param detail what failed, for the log and the deferral reason
   */
  record TempFailure(String detail) implements MxResult {
    public TempFailure {
      Objects.requireNonNull(detail, "detail");
    }
  }
}
