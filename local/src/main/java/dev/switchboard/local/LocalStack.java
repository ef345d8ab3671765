package dev.switchboard.local;

import dev.switchboard.app.GatewayServer;
import dev.switchboard.emulators.EmulatorException;
import dev.switchboard.emulators.EmulatorSettings;
import dev.switchboard.emulators.Emulators;
import dev.switchboard.pusher.PusherServer;
import dev.switchboard.service.Readiness;
import dev.switchboard.settings.Settings;
import dev.switchboard.settings.SettingsException;
import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.WebServer;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The local stack: every emulator on its fixed port, the stack's table, queues and topics, and the environment
 * that points AWS SDKs and the CLI at them. {@link #main} runs it until Ctrl-C.
 */
public final class LocalStack implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LocalStack.class.getName());

    /** The variables of every port the stack binds: each set to 0, a stack runs on free ports (tests, benchmarks). */
    public static final List<String> PORT_VARIABLES = List.of(
            "DYNAMODB_PORT",
            "SQS_PORT",
            "SNS_PORT",
            "ISSUER_PORT",
            "SERVER_PORT",
            "MANAGEMENT_PORT",
            "PUSHER_PORT",
            "EXAMPLES_PORT");

    private final Emulators emulators;
    private final GatewayServer gateway;
    private final PusherServer pusher;
    private final StackEnvironment environment;
    private final WebServer examples;
    private final Map<String, String> startTimes;

    private LocalStack(
            Emulators emulators,
            GatewayServer gateway,
            PusherServer pusher,
            StackEnvironment environment,
            WebServer examples,
            Map<String, String> startTimes) {
        this.emulators = emulators;
        this.gateway = gateway;
        this.pusher = pusher;
        this.environment = environment;
        this.examples = examples;
        this.startTimes = startTimes;
    }

    /**
     * Starts the stack and writes its environment file.
     *
     * @throws LocalStackException when a port is taken or the stack cannot be set up; nothing is left running
     */
    static LocalStack start(LocalSettings settings) {
        ensurePortsFree(settings);
        var begin = System.nanoTime();
        Emulators emulators;
        try {
            emulators = Emulators.start(new EmulatorSettings(
                    settings.host(),
                    settings.dynamoDbPort(),
                    settings.sqsPort(),
                    settings.snsPort(),
                    settings.issuerPort(),
                    settings.region(),
                    EmulatorSettings.ACCOUNT_ID,
                    settings.externalDynamoDb()));
        } catch (EmulatorException e) {
            throw new LocalStackException(e.getMessage() + ": " + rootCause(e).getMessage(), e);
        }
        var started = System.nanoTime();
        GatewayServer gateway = null;
        PusherServer pusher = null;
        WebServer examples = null;
        try {
            var resources = LocalResources.create(emulators, settings);
            var created = System.nanoTime();
            var auth = LocalAuth.of(emulators.issuer(), settings);
            gateway = LocalGateway.start(emulators, resources, settings, auth);
            var gatewayUp = System.nanoTime();
            pusher = LocalPusher.start(emulators, resources, settings);
            var startTimes = new LinkedHashMap<String, String>();
            startTimes.put("emulatorsMs", String.valueOf((started - begin) / 1_000_000));
            startTimes.put("resourcesMs", String.valueOf((created - started) / 1_000_000));
            startTimes.put("gatewayMs", String.valueOf((gatewayUp - created) / 1_000_000));
            startTimes.put("pusherMs", String.valueOf((System.nanoTime() - gatewayUp) / 1_000_000));
            LOG.log(Level.INFO, "local stack ready {0}", startTimes);
            examples = LocalExamples.start(
                    settings,
                    auth,
                    emulators.issuer(),
                    URI.create("ws://" + settings.host() + ":" + gateway.port() + "/ws"),
                    URI.create("http://" + settings.host() + ":" + gateway.managementPort()));
            var environment =
                    StackEnvironment.of(emulators, resources, settings, auth, gateway, pusher, examples.port());
            environment.write(settings.envFile());
            return new LocalStack(emulators, gateway, pusher, environment, examples, Map.copyOf(startTimes));
        } catch (RuntimeException e) {
            if (examples != null) {
                examples.stop();
            }
            if (pusher != null) {
                pusher.stop();
            }
            if (gateway != null) {
                gateway.stop();
            }
            emulators.close();
            throw e instanceof LocalStackException
                    ? e
                    : new LocalStackException("setting up the stack: " + e.getMessage(), e);
        }
    }

    StackEnvironment environment() {
        return environment;
    }

    @Override
    public void close() {
        examples.stop();
        pusher.stop();
        gateway.stop();
        emulators.close();
    }

    public static void main(String[] args) throws InterruptedException {
        LogConfig.configureRuntime();
        LocalStack stack;
        LocalSettings settings;
        try {
            settings = LocalSettings.from(Settings.of(LocalSettings.config()));
            stack = start(settings);
        } catch (LocalStackException | SettingsException e) {
            System.err.println("The local stack did not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                stack.close();
                System.out.println("Local stack stopped.");
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "local stack did not stop cleanly", e);
            } finally {
                System.out.flush();
                stopped.countDown();
            }
        }));
        print(stack.environment(), settings, System.out);
        // After the banner: whoever waits for the ready file sees it printed too.
        var facts = new LinkedHashMap<>(stack.environment().variables());
        facts.put("service", "local");
        facts.putAll(stack.startTimes);
        Readiness.announce(settings.readyFile(), facts);
        stopped.await();
    }

    private static void print(StackEnvironment environment, LocalSettings settings, PrintStream out) {
        var upFor = ProcessHandle.current()
                .info()
                .startInstant()
                .map(start -> Duration.between(start, Instant.now()))
                .map(d -> String.format(" in %.1f s", d.toMillis() / 1000.0))
                .orElse("");
        out.println();
        out.println("Switchboard local stack is up" + upFor + ". Ctrl-C stops it.");
        out.println();
        environment.variables().forEach((key, value) -> out.println("  " + key + "=" + value));
        out.println();
        if (environment.devToken().isEmpty()) {
            out.println("No dev token: AUTH_JWKS_URI names another issuer; use a token from it.");
        }
        out.println("Connect: npx wscat -c \"$WS_URL\"   then send {\"action\":\"ping\"} (see README.md).");
        out.println("Examples: " + environment.variables().get("EXAMPLES_URL") + "/  (examples/README.md)");
        out.println("Written to " + settings.envFile() + "; point the AWS CLI and SDKs at the stack with:");
        var envFile = settings.envFile().isAbsolute()
                ? settings.envFile()
                : Path.of(".").resolve(settings.envFile());
        out.println("  set -a; . " + envFile + "; set +a");
        out.println(
                "  aws sqs send-message --endpoint-url \"$AWS_ENDPOINT_URL_SQS\" --queue-url \"$NOTIFICATIONS_QUEUE_URL\" \\");
        out.println("      --message-body '{\"users\":[\"" + settings.devUser()
                + "\"],\"data\":{\"hello\":\"from the CLI\"}}'");
        out.flush();
    }

    /** Fails before anything starts, naming the port, its use and the variable that moves it. */
    private static void ensurePortsFree(LocalSettings settings) {
        var ports = new LinkedHashMap<String, Integer>();
        if (settings.externalDynamoDb().isEmpty()) {
            ports.put("DynamoDB (DYNAMODB_PORT)", settings.dynamoDbPort());
        }
        ports.put("SQS (SQS_PORT)", settings.sqsPort());
        ports.put("SNS (SNS_PORT)", settings.snsPort());
        ports.put("the dev JWT issuer (ISSUER_PORT)", settings.issuerPort());
        ports.put("the gateway (SERVER_PORT)", settings.gatewayPort());
        ports.put("the gateway's internal socket (MANAGEMENT_PORT)", settings.managementPort());
        ports.put("the pusher (PUSHER_PORT)", settings.pusherPort());
        ports.put("the examples (EXAMPLES_PORT)", settings.examplesPort());
        for (Map.Entry<String, Integer> port : ports.entrySet()) {
            if (port.getValue() == 0) {
                continue;
            }
            try (var socket = new ServerSocket()) {
                // As the servers do: connections in TIME_WAIT from an earlier run must not count as in use.
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(settings.host(), port.getValue()));
            } catch (IOException e) {
                throw new LocalStackException("port " + port.getValue() + " on " + settings.host()
                        + " is already in use; it is meant for " + port.getKey()
                        + ". Stop what holds it, or set that variable to another port.");
            }
        }
    }

    private static Throwable rootCause(Throwable e) {
        var cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
