package dev.switchboard.service;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM and SIGINT for a service: the first runs its stop (drain) on a thread of its own and then exits 0; a
 * second exits at once (status 1), and so does a stop that overruns its {@code deadline}. The JVM's shutdown hooks
 * cannot do this (the JVM ignores further signals while they run), hence a {@code sun.misc.Signal} handler.
 */
public final class Shutdown {
    /** The exit status when a stop was cut short (a second signal, or past its deadline). */
    public static final int EXIT_CUT_SHORT = 1;

    private static final System.Logger LOG = System.getLogger(Shutdown.class.getName());

    private Shutdown() {}

    public static void onSignals(Runnable stop, Duration deadline) {
        var stopping = new AtomicBoolean();
        SignalHandler onSignal = signal -> {
            if (!stopping.compareAndSet(false, true)) {
                LOG.log(Level.WARNING, "SIG{0} again: exiting without finishing the drain", signal.getName());
                Runtime.getRuntime().halt(EXIT_CUT_SHORT);
            }
            LOG.log(Level.INFO, "SIG{0}: draining (send it again to exit at once)", signal.getName());
            Thread.ofPlatform().name("drain").start(() -> {
                var watchdog = Thread.ofPlatform().daemon().start(() -> {
                    try {
                        Thread.sleep(deadline);
                        LOG.log(Level.WARNING, "drain overran its deadline of {0}; exiting", deadline);
                        Runtime.getRuntime().halt(EXIT_CUT_SHORT);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                stop.run();
                watchdog.interrupt();
                System.exit(0);
            });
        };
        Signal.handle(new Signal("TERM"), onSignal);
        Signal.handle(new Signal("INT"), onSignal);
    }
}
