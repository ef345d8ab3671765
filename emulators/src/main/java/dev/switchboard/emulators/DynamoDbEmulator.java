package dev.switchboard.emulators;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A DynamoDB-compatible server for tests and the local stack: dynalite 4 (Apache-2.0) under Node.js, in memory,
 * in a child process, bound to one host (loopback) and a fixed port or, with port 0, a free one. One database for
 * every credential and region.
 *
 * <p>The child never outlives this JVM, however it ends: it exits when its stdin, held open by this object, reaches
 * end-of-file, which the kernel causes when this process dies (SIGKILL included). What dynalite does not do —
 * UpdateTimeToLive, transactions, index write capacity — is in docs/registry.md.
 */
public final class DynamoDbEmulator implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DynamoDbEmulator.class.getName());
    private static final Duration START = Duration.ofSeconds(30);
    private static final Duration STOP = Duration.ofSeconds(5);

    private final Process process;
    private final OutputStream lifeline;
    private final URI endpoint;
    private final AtomicBoolean closing;

    private DynamoDbEmulator(Process process, URI endpoint, List<String> output, AtomicBoolean closing) {
        this.process = process;
        this.closing = closing;
        this.lifeline = process.getOutputStream();
        this.endpoint = endpoint;
        var unused = process.onExit().thenAccept(exited -> {
            if (!closing.get()) {
                LOG.log(
                        System.Logger.Level.ERROR,
                        "dynalite exited unexpectedly pid={0} status={1} endpoint={2}; it said: {3}",
                        exited.pid(),
                        exited.exitValue(),
                        endpoint,
                        said(output));
            }
        });
    }

    /**
     * Starts dynalite on {@code host:port} with the {@code node} of this process's environment.
     *
     * @throws EmulatorException when it cannot start: no Node.js 20+, the port is taken, …, with what it said
     */
    public static DynamoDbEmulator start(String host, int port) {
        return start(host, port, System.getenv());
    }

    /** As {@link #start(String, int)}, finding Node.js and the cache directory in {@code environment}. */
    static DynamoDbEmulator start(String host, int port, Map<String, String> environment) {
        var what = "starting the DynamoDB emulator (dynalite) on " + host + ":" + port;
        var node = NodeRuntime.find(environment);
        var directory = DynaliteFiles.directory(environment);
        Process process;
        try {
            process = new ProcessBuilder(node.toString(), "server.js", host, Integer.toString(port))
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new EmulatorException(what + " with " + node, e);
        }
        var firstLine = new CompletableFuture<String>();
        var output = new ArrayList<String>();
        var closing = new AtomicBoolean();
        Thread.ofPlatform().daemon().name("dynalite-output").start(() -> drain(process, firstLine, output, closing));
        String line;
        try {
            line = firstLine.get(START.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new EmulatorException(what + ": no answer within " + START + "; it said " + said(output), e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new EmulatorException(what + ": interrupted", e);
        }
        if (line == null || !line.startsWith("listening ")) {
            process.destroyForcibly();
            throw new EmulatorException(what + " with " + node + ": " + (line == null ? "it exited" : line)
                    + (output.size() > 1 ? "; it said " + said(output) : ""));
        }
        var bound = Integer.parseInt(line.substring("listening ".length()).trim());
        LOG.log(System.Logger.Level.DEBUG, "dynalite started pid={0} port={1}", process.pid(), bound);
        return new DynamoDbEmulator(process, URI.create("http://" + host + ":" + bound), output, closing);
    }

    /** Reads the child's output to its end (a full pipe would stall it): the first line answers the start. */
    private static void drain(
            Process process, CompletableFuture<String> firstLine, List<String> output, AtomicBoolean closing) {
        try (var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (var line = reader.readLine(); line != null; line = reader.readLine()) {
                synchronized (output) {
                    output.add(line);
                    if (output.size() > 50) {
                        output.removeFirst(); // the last lines are the ones that explain an exit
                    }
                }
                if (!firstLine.complete(line)) {
                    // The launcher's own reports (a failed request, why it exits) start with "dynalite ".
                    LOG.log(
                            line.startsWith("dynalite ") && !closing.get()
                                    ? System.Logger.Level.WARNING
                                    : System.Logger.Level.DEBUG,
                            "{0}",
                            line);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.log(System.Logger.Level.DEBUG, "dynalite output ended", e);
        } finally {
            firstLine.complete(null);
        }
    }

    private static String said(List<String> output) {
        synchronized (output) {
            return output.isEmpty() ? "nothing" : String.join(" | ", output);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    public int port() {
        return endpoint.getPort();
    }

    /** The child process's id, for tests that check it is gone. */
    public long pid() {
        return process.pid();
    }

    /** Ends the child: its stdin closes (it exits at once), and it is killed if it has not within a few seconds. */
    @Override
    public void close() {
        closing.set(true);
        try {
            lifeline.close();
            if (!process.waitFor(STOP.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
