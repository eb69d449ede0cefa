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
 */
public final class HangupReload {
  private static final System.Logger LOG = System.getLogger(HangupReload.class.getName());

  private HangupReload() {}

  /** Runs {@code reload} on the JVM's signal thread at every SIGHUP; false if it cannot. */
  public static boolean install(Runnable reload) {
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
                      reload.run();
                      yield null;
                    }
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> "reload routes.yaml on SIGHUP";
                  });
      signal.getMethod("handle", signal, handler).invoke(null, hup, onHup);
      return true;
    } catch (ReflectiveOperationException | IllegalArgumentException e) {
      Throwable cause = e instanceof InvocationTargetException i ? i.getCause() : e;
      LOG.log(
          Level.WARNING,
          "SIGHUP cannot be handled here ({0}): reload through the API or by editing the file",
          cause);
      return false;
    }
  }
}
