package dev.switchboard.emulators;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One of our services as its own JVM, for tests: a main class on this JVM's class path, configured only by
 * environment variables (the emulators' endpoints and credentials added), its output in a file (a pipe loses the
 * tail after exit). Every way to start one waits for the process's ready file (the service module's {@code
 * Readiness}: its bound ports and ids, read with {@link #ready} and {@link #port}), never for a line of its log: the
 * one launcher of tests and benchmarks, for our services, the local stack and a test's own helper process alike.
 */
public final class ServiceProcess implements AutoCloseable {
    private static final Duration START = Duration.ofSeconds(60);
    /**
     * Where our services write that they are ready (the service module's {@code Readiness}: a properties file moved
     * into place whole). Named here, not imported: the emulators depend on nothing of the product.
     */
    private static final String READY_FILE = "READY_FILE";

    private final Process process;
    private final Path output;
    private final Map<String, String> ready;

    private ServiceProcess(Process process, Path output, Map<String, String> ready) {
        this.process = process;
        this.output = output;
        this.ready = ready;
    }

    /**
     * Starts {@code mainClass} with {@code environment} (plus the emulators' AWS settings) and waits for its ready
     * file.
     *
     * @throws AssertionError with the output when it exits or does not start in time
     */
    public static ServiceProcess start(
            String mainClass, Map<String, String> environment, Emulators emulators, Path output) {
        // C1 only: tests start many short-lived services and want them up fast, not at peak speed.
        return start(mainClass, List.of("-XX:TieredStopAtLevel=1"), environment, emulators, output);
    }

    /** As {@link #start(String, Map, Emulators, Path)}, with these JVM options (benchmarks: none). */
    public static ServiceProcess start(
            String mainClass,
            List<String> jvmOptions,
            Map<String, String> environment,
            Emulators emulators,
            Path output) {
        return launch(mainClass, jvmOptions, List.of(), withEmulators(environment, emulators), output);
    }

    /**
     * Starts {@code java -jar jar} as an operator would (C1 only, as {@link #start(String, Map, Emulators, Path)}),
     * with {@code environment} (plus the emulators' AWS settings), and waits for its ready file.
     *
     * @throws AssertionError with the output when it exits or does not start in time
     */
    public static ServiceProcess startJar(Path jar, Map<String, String> environment, Emulators emulators, Path output) {
        var command = List.of(java(), "-XX:TieredStopAtLevel=1", "-jar", jar.toString());
        return run(command, jar.getFileName().toString(), withEmulators(environment, emulators), output);
    }

    private static Map<String, String> withEmulators(Map<String, String> environment, Emulators emulators) {
        var env = new HashMap<>(environment);
        env.put("AWS_REGION", emulators.settings().region());
        env.put("AWS_ACCESS_KEY_ID", Emulators.ACCESS_KEY_ID);
        env.put("AWS_SECRET_ACCESS_KEY", Emulators.SECRET_ACCESS_KEY);
        env.put("AWS_ENDPOINT_URL_DYNAMODB", emulators.dynamoDbEndpoint().toString());
        env.put("AWS_ENDPOINT_URL_SQS", emulators.sqsEndpoint().toString());
        env.put("AWS_ENDPOINT_URL_SNS", emulators.snsEndpoint().toString());
        return env;
    }

    /**
     * Starts {@code mainClass} from {@code classPathFirst} and then this JVM's class path, with {@code jvmOptions}
     * and {@code environment} (none of this JVM's own {@code AWS_*} or {@code AUTH_*} variables), and waits for its
     * ready file.
     *
     * @throws AssertionError with the output when it exits or does not start in time
     */
    public static ServiceProcess launch(
            String mainClass,
            List<String> jvmOptions,
            List<String> classPathFirst,
            Map<String, String> environment,
            Path output) {
        var classPath = new ArrayList<>(classPathFirst);
        var inherited = List.of(System.getProperty("java.class.path").split(File.pathSeparator));
        if (jvmOptions.stream().anyMatch(option -> option.startsWith("-XX:AOTCache"))) {
            // The JVM's ahead-of-time cache takes only JARs on the class path ("Cannot have non-empty directory in
            // paths"); a directory here holds this JVM's own classes (a benchmark's, a test's), not the service's.
            inherited = inherited.stream()
                    .filter(entry -> !Files.isDirectory(Path.of(entry)))
                    .toList();
        }
        classPath.addAll(inherited);
        var command = new ArrayList<String>();
        command.add(java());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", String.join(File.pathSeparator, classPath), mainClass));
        return run(command, mainClass, environment, output);
    }

    /**
     * Runs {@code command} (a script, say: {@code bin/local}) in the working directory with {@code environment} (none
     * of this JVM's own {@code AWS_*} or {@code AUTH_*} variables), and waits for the ready file of what it starts.
     *
     * @throws AssertionError with the output when it exits or does not start in time
     */
    public static ServiceProcess launchCommand(List<String> command, Map<String, String> environment, Path output) {
        return run(command, String.join(" ", command), environment, output);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static ServiceProcess run(List<String> command, String name, Map<String, String> environment, Path output) {
        var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        var env = builder.environment();
        env.keySet().removeIf(key -> key.startsWith("AWS_") || key.startsWith("AUTH_"));
        env.putAll(environment);
        var readyFile = output.resolveSibling(output.getFileName() + ".ready");
        try {
            Files.deleteIfExists(readyFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        env.put(READY_FILE, readyFile.toAbsolutePath().toString());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("starting " + name, e);
        }
        var service = Await.until(
                name + " to write its ready file",
                START,
                () -> Files.exists(readyFile)
                        ? Optional.of(new ServiceProcess(process, output, readReady(readyFile)))
                        // empty: it exited first
                        : process.isAlive() ? null : Optional.<ServiceProcess>empty(),
                found -> found != null);
        if (service.isEmpty()) {
            throw new AssertionError(name + " exited with " + process.exitValue() + ": " + lines(output));
        }
        return service.get();
    }

    private static Map<String, String> readReady(Path file) {
        var properties = new java.util.Properties();
        try (var reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var facts = new java.util.TreeMap<String, String>();
        properties.stringPropertyNames().forEach(name -> facts.put(name, properties.getProperty(name)));
        return facts;
    }

    /** What the service wrote in its ready file ({@code port}, {@code managementPort}, {@code nodeId}, …). */
    public String ready(String name) {
        var value = ready.get(name);
        if (value == null) {
            throw new IllegalStateException("the ready file says nothing of " + name + ": " + ready);
        }
        return value;
    }

    /** A port the service wrote in its ready file: {@code port}, {@code managementPort}. */
    public int port(String name) {
        return Integer.parseInt(ready(name));
    }

    public Process process() {
        return process;
    }

    /** The CPU time the process has used so far (user and system), zero when the platform does not say. */
    public Duration cpu() {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    public List<String> output() {
        return lines(output);
    }

    /** SIGKILL: no shutdown of any kind, as a crash. */
    public void kill() {
        process.destroyForcibly();
        waitFor();
    }

    /** SIGTERM, without waiting. */
    public void terminate() {
        process.destroy();
    }

    /** SIGTERM, then waits up to {@code timeout} for the process to exit; whether it did. */
    public boolean stop(Duration timeout) {
        terminate();
        return waitFor(timeout);
    }

    public boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void waitFor() {
        if (!waitFor(Duration.ofSeconds(30))) {
            throw new AssertionError("still running after SIGKILL");
        }
    }

    private static List<String> lines(Path output) {
        try {
            return Files.exists(output) ? Files.readAllLines(output) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
