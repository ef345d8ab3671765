package dev.switchboard.bench.lambda;

import dev.switchboard.bench.Measure;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;

/**
 * The authorizer Lambda's share of a cold start: fresh JVMs (C1 only, as the AWS Java runtimes start) on the
 * classes of its deployment zip, each making the handler as the runtime does — settings read from the environment,
 * the token verifier built —, beside the reference in the same run: the same JVMs making the authorizer library's
 * verifier alone, with no settings read. Runs alternate. The difference is what reading the settings costs.
 */
public final class LambdaStartBenchmark {
    private static final String ZIP = "authorizer-lambda/target/switchboard-authorizer-lambda.zip";
    private static final Pattern LINE = Pattern.compile("made=\\S+ ms=([0-9.]+) uptime=(\\d+)");

    /** The medians over {@code runs} JVMs each: making the handler, making the verifier alone, the JVMs' uptimes. */
    public record Result(
            int runs, double handlerMs, double libraryMs, double handlerUptimeMs, double libraryUptimeMs) {}

    private LambdaStartBenchmark() {}

    public static Result run(int runs) throws IOException, InterruptedException {
        var lib = unpack(zip());
        var handler = new double[runs];
        var library = new double[runs];
        var handlerUptime = new double[runs];
        var libraryUptime = new double[runs];
        for (var i = 0; i < runs; i++) {
            var ours = start(lib, "handler");
            var reference = start(lib, "library");
            handler[i] = ours[0];
            handlerUptime[i] = ours[1];
            library[i] = reference[0];
            libraryUptime[i] = reference[1];
        }
        return new Result(
                runs,
                Measure.median(handler),
                Measure.median(library),
                Measure.median(handlerUptime),
                Measure.median(libraryUptime));
    }

    /** One fresh JVM: what it took to make {@code what}, and its uptime then, in ms. */
    private static double[] start(Path lib, String what) throws IOException, InterruptedException {
        var classPath = new ArrayList<String>();
        classPath.add(Path.of(HandlerStart.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .getPath())
                .toString());
        classPath.add(lib.resolve("*").toString());
        var command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-cp",
                String.join(File.pathSeparator, classPath),
                HandlerStart.class.getName(),
                what);
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(key -> key.startsWith("AUTH_"));
        builder.environment().put("AUTH_JWKS_URI", "https://issuer.example.com/.well-known/jwks.json");
        var process = builder.start();
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("making the " + what + " failed: " + output);
        }
        var matcher = LINE.matcher(output);
        if (!matcher.find()) {
            throw new IllegalStateException("no figures from the " + what + ": " + output);
        }
        return new double[] {Double.parseDouble(matcher.group(1)), Double.parseDouble(matcher.group(2))};
    }

    /** The zip's lib/ in a directory of its own, as the Lambda runtime lays it out. */
    private static Path unpack(Path zip) throws IOException {
        var dir = Files.createTempDirectory("authorizer-lambda-");
        try (var file = new ZipFile(zip.toFile())) {
            for (var entry : java.util.Collections.list(file.entries())) {
                var target = dir.resolve(entry.getName()).normalize();
                if (!target.startsWith(dir)) {
                    throw new IOException("an entry outside the directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    try (var in = file.getInputStream(entry)) {
                        Files.copy(in, target);
                    }
                }
            }
        }
        return dir.resolve("lib");
    }

    /** The zip of this checkout. */
    private static Path zip() {
        return Measure.inCheckout(ZIP, "build it first (mvn package -pl authorizer-lambda -am)");
    }

    public static String table(Result result) {
        return String.join(
                System.lineSeparator(),
                String.format(
                        Locale.ROOT,
                        "%-34s %10s %14s %8s",
                        "lambda start (median of " + result.runs() + ")",
                        "ours ms",
                        "reference ms",
                        "ratio"),
                String.format(
                        Locale.ROOT,
                        "%-34s %10.1f %14.1f %8.2f",
                        "authorizer handler / verifier",
                        result.handlerMs(),
                        result.libraryMs(),
                        result.handlerMs() / result.libraryMs()),
                String.format(
                        Locale.ROOT,
                        "%-34s %10.1f %14.1f %8.2f",
                        "  JVM uptime when made",
                        result.handlerUptimeMs(),
                        result.libraryUptimeMs(),
                        result.handlerUptimeMs() / result.libraryUptimeMs()));
    }
}
