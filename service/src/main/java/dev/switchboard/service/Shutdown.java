package dev.switchboard.service;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM and SIGINT for a service: the first runs its stop (drain) on a thread of its own and then exits 0; a
 * second exits at once (status 1), and so does a stop that overruns its {@code deadline}. The JVM's shutdown hooks
 * cannot do this (the JVM ignores further signals while they run), hence a {@code sun.misc.Signal} handler. The same
 * stop can also be begun without a signal ({@link #begin}), when the platform says it is about to stop the process
 * (ECS stopping the task, see {@code EcsTaskWatch}); a signal after that counts as the second.
 */
public final class Shutdown {
    /** The exit status when a stop was cut short (a second signal, or past its deadline). */
    public static final int EXIT_CUT_SHORT = 1;

    private static final System.Logger LOG = System.getLogger(Shutdown.class.getName());

    private final Runnable stop;
    private final Duration deadline;
    private final AtomicBoolean stopping = new AtomicBoolean();

    private Shutdown(Runnable stop, Duration deadline) {
        this.stop = stop;
        this.deadline = deadline;
    }

    public static Shutdown onSignals(Runnable stop, Duration deadline) {
        var shutdown = new Shutdown(stop, deadline);
        SignalHandler onSignal = signal -> shutdown.begin("SIG" + signal.getName());
        Signal.handle(new Signal("TERM"), onSignal);
        Signal.handle(new Signal("INT"), onSignal);
        return shutdown;
    }

    /** Begins the stop, as the first signal does; called again (or a signal after it), exits at once. */
    public void begin(String why) {
        if (!stopping.compareAndSet(false, true)) {
            LOG.log(Level.WARNING, "{0} again: exiting without finishing the drain", why);
            Runtime.getRuntime().halt(EXIT_CUT_SHORT);
        }
        LOG.log(Level.INFO, "{0}: draining (send SIGTERM again to exit at once)", why);
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
    }

    /** Whether the stop has begun. */
    public boolean stopping() {
        return stopping.get();
    }
}
