package dev.sluice.relay.policy;

import dev.sluice.relay.auth.TenantDirectory;
import dev.sluice.routing.Router;
import dev.sluice.routing.config.ConfigError;
import dev.sluice.routing.config.ConfigException;
import dev.sluice.routing.config.RoutesConfig;
import dev.sluice.routing.config.RoutesLoader;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The routing policy in force, the one place every reader asks at every use (ingress, delivery, the
 * scheduler through {@link #subscribe}). A reload validates the whole file first and swaps the
 * policy in one step; an invalid file is refused with its errors and the running policy stays.
 * Member overrides are kept in their file before they take effect. Thread-safe: reads are a
 * volatile read; changes are serialized.
 */
public final class LivePolicy {
  private static final System.Logger LOG = System.getLogger(LivePolicy.class.getName());

  private final OverrideFile overrideFile;
  private final Clock clock;
  private final List<Consumer<Policy>> listeners = new CopyOnWriteArrayList<>();
  private volatile Policy current;

  private LivePolicy(Policy first, OverrideFile overrideFile, Clock clock) {
    this.current = first;
    this.overrideFile = overrideFile;
    this.clock = clock;
  }

  /**
   * Starts with {@code routes} (loaded from {@code file}, or the built-in default when empty) and
   * the overrides kept in {@code overrides}.
   */
  public static LivePolicy start(
      Optional<Path> file, RoutesConfig routes, OverrideFile overrides, Clock clock)
      throws IOException {
    Policy first = Policy.of(file, clock.instant(), routes, overrides.load());
    reportUnknown(first);
    return new LivePolicy(first, overrides, clock);
  }

  public Policy current() {
    return current;
  }

  public Router router() {
    return current.router();
  }

  public TenantDirectory tenants() {
    return current.tenants();
  }

  /** The policy as it routes (overridden weights in place). */
  public RoutesConfig routes() {
    return current.routes();
  }

  /** Where overrides are kept. */
  public Path overrideFile() {
    return overrideFile.path();
  }

  /** Tells {@code listener} the policy in force now, then every later one, in order. */
  public synchronized void subscribe(Consumer<Policy> listener) {
    listeners.add(listener);
    listener.accept(current);
  }

  /**
   * Loads routes.yaml again and, if it is valid, makes it the policy in force, with the overrides
   * on top. Logs what happened, with {@code trigger} (SIGHUP, the API, a file change).
   */
  public synchronized ReloadResult reload(String trigger) {
    Optional<Path> file = current.file();
    if (file.isEmpty()) {
      LOG.log(
          Level.WARNING,
          "reload ({0}): running on the built-in default policy, no routes.yaml to reload",
          trigger);
      return new ReloadResult.NoFile();
    }
    RoutesConfig routes;
    try {
      routes = RoutesLoader.load(file.get());
    } catch (ConfigException e) {
      List<String> errors = e.errors().stream().map(ConfigError::toString).toList();
      return refused(trigger, file.get(), errors);
    } catch (IOException e) {
      return refused(trigger, file.get(), List.of(file.get() + ":1:1: cannot read: " + e));
    }
    Policy next = Policy.of(file, clock.instant(), routes, current.overrides());
    install(next);
    LOG.log(
        Level.INFO,
        "reload ({0}): {1} is in force: {2} pools, {3} rules",
        trigger,
        file.get(),
        routes.pools().size(),
        routes.rules().size());
    return new ReloadResult.Reloaded(next);
  }

  /**
   * Changes the overrides of {@code member}, keeps them in their file, then applies them. Empty
   * when the policy has no such member and no override names it.
   */
  public synchronized Optional<Policy> override(String member, UnaryOperator<Overrides> change)
      throws IOException {
    Policy now = current;
    if (!now.hasMember(member) && now.overrides().of(member).isEmpty()) {
      return Optional.empty();
    }
    Overrides next = change.apply(now.overrides());
    if (!next.equals(now.overrides())) {
      overrideFile.save(next);
      install(now.withOverrides(next));
      LOG.log(
          Level.INFO,
          "override of member {0}: {1}",
          member,
          next.of(member).map(MemberOverride::describe).orElse("removed"));
    }
    return Optional.of(current);
  }

  private void install(Policy next) {
    current = next;
    reportUnknown(next);
    listeners.forEach(l -> l.accept(next));
  }

  private static ReloadResult refused(String trigger, Path file, List<String> errors) {
    LOG.log(
        Level.ERROR,
        "reload ({0}): {1} is invalid, the running policy stays:\n  {2}",
        trigger,
        file,
        String.join("\n  ", errors));
    return new ReloadResult.Invalid(errors);
  }

  private static void reportUnknown(Policy policy) {
    for (String member : policy.unknownOverrides()) {
      LOG.log(
          Level.WARNING,
          "override of member {0} is kept, but the policy has no such member: it applies if the"
              + " member comes back",
          member);
    }
  }
}
