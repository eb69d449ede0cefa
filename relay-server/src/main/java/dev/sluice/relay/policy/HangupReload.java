package dev.sluice.relay.policy;

import java.lang.System.Logger.Level;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * Reloads routes.yaml on SIGHUP, as daemons do ({@code systemctl reload sluice}). Uses {@code
 * sun.misc.Signal} from the {@code jdk.unsupported} module, the one way a Java program can handle a
 * signal. It is reached by reflection because javac flags every direct use of it as proprietary
 * API, a warning that {@code -Werror} turns into an error and that no annotation suppresses.
 * Installed by {@code sluice run} only: there is one daemon per process.
 *
 * <p>It is installed before anything else, because the JVM's own answer to SIGHUP is to exit (the
 * unit is active from its first instant, so {@code systemctl reload} may come while the spool is
 * still being recovered). A SIGHUP that comes before the policy is in force is remembered and the
 * reload runs once it is: the file may have been edited after it was read. Thread-safe.
 */
public final class HangupReload {
  private static final System.Logger LOG = System.getLogger(HangupReload.class.getName());

  private Runnable reload;
  private boolean missed;

  private HangupReload() {}

  /**
   * Handles SIGHUP from now on: remembered until {@link #reloadWith} names the reload. When the
   * signal cannot be handled here, says so and returns a handler that no signal reaches.
   */
  public static HangupReload install() {
    HangupReload hangup = new HangupReload();
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handler = Class.forName("sun.misc.SignalHandler");
      Object hup = signal.getConstructor(String.class).newInstance("HUP");
      Object onHup =
          Proxy.newProxyInstance(
              HangupReload.class.getClassLoader(),
              new Class<?>[] {handler},
              (proxy, method, args) ->
                  switch (method.getName()) {
                    case "handle" -> {
                      hangup.hangUp();
                      yield null;
                    }
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> "reload routes.yaml on SIGHUP";
                  });
      signal.getMethod("handle", signal, handler).invoke(null, hup, onHup);
    } catch (ReflectiveOperationException | IllegalArgumentException e) {
      Throwable cause = e instanceof InvocationTargetException i ? i.getCause() : e;
      LOG.log(
          Level.WARNING,
          "SIGHUP cannot be handled here ({0}): reload through the API or by editing the file",
          cause);
    }
    return hangup;
  }

  /**
   * Runs {@code reload} on the JVM's signal thread at every SIGHUP from now on, and here at once if
   * one came before.
   */
  public void reloadWith(Runnable reload) {
    boolean now;
    synchronized (this) {
      this.reload = reload;
      now = missed;
      missed = false;
    }
    if (now) {
      reload.run();
    }
  }

  private void hangUp() {
    Runnable target;
    synchronized (this) {
      target = reload;
      missed = target == null;
    }
    if (target != null) {
      target.run();
    } else {
      LOG.log(
          Level.INFO,
          "SIGHUP while starting: routes.yaml is read again once the policy is in force");
    }
  }
}
