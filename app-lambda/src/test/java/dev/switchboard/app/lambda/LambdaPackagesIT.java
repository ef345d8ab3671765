package dev.switchboard.app.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment packages {@code mvn package} builds — what examples/serverless uploads — are complete: each zip
 * unpacked as AWS Lambda's Java runtime does (every jar of {@code lib/} on a class path of its own, nothing of this
 * test's), its handler loads, and the gateway's and the pusher's handlers start with their defaults and answer an
 * event.
 */
class LambdaPackagesIT {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @Test
    void theGatewaysPackageStartsItsHandlerAndAnswersAConnectWithoutContext(@TempDir Path directory) throws Exception {
        try (var loader = unpacked("app-lambda", directory)) {
            var handler = loader.loadClass("dev.switchboard.app.lambda.WebSocketHandler")
                    .getConstructor()
                    .newInstance();
            var event = "{\"requestContext\":{\"eventType\":\"CONNECT\",\"routeKey\":\"$connect\","
                    + "\"connectionId\":\"c1=\",\"domainName\":\"x\",\"stage\":\"s\"}}";
            var out = new ByteArrayOutputStream();
            handler.getClass()
                    .getMethod(
                            "handleRequest",
                            InputStream.class,
                            OutputStream.class,
                            loader.loadClass("com.amazonaws.services.lambda.runtime.Context"))
                    .invoke(handler, new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\"statusCode\":401}");
        }
    }

    @Test
    void thePushersPackageStartsItsHandler(@TempDir Path directory) throws Exception {
        try (var loader = unpacked("pusher-lambda", directory)) {
            var handler = loader.loadClass("dev.switchboard.pusher.lambda.NotificationsHandler")
                    .getConstructor()
                    .newInstance();
            var eventType = loader.loadClass("com.amazonaws.services.lambda.runtime.events.SQSEvent");
            var answer = handler.getClass()
                    .getMethod(
                            "handleRequest",
                            eventType,
                            loader.loadClass("com.amazonaws.services.lambda.runtime.Context"))
                    .invoke(handler, eventType.getConstructor().newInstance(), null);
            assertThat(answer.getClass().getSimpleName()).isEqualTo("SQSBatchResponse");
        }
    }

    @Test
    void theAuthorizersPackageHoldsItsHandlerAndItsJwtLibrary(@TempDir Path directory) throws Exception {
        try (var loader = unpacked("authorizer-lambda", directory)) {
            assertThat(loader.loadClass("dev.switchboard.authorizer.lambda.ConnectAuthorizer")
                            .getMethod(
                                    "handleRequest",
                                    java.util.Map.class,
                                    loader.loadClass("com.amazonaws.services.lambda.runtime.Context")))
                    .isNotNull();
            assertThat(loader.loadClass("com.nimbusds.jwt.SignedJWT")).isNotNull();
        }
    }

    /**
     * The module's zip, unpacked; a loader over its lib/ jars whose parent knows only the JDK, set as this thread's
     * context loader (as it is the runtime's class loader there) until closed.
     */
    private static Isolated unpacked(String module, Path directory) throws IOException {
        var zip = ROOT.resolve(module).resolve("target").resolve("switchboard-" + module + ".zip");
        assertThat(zip).as("built by mvn package at the root (%s)", zip).exists();
        var jars = new ArrayList<URL>();
        try (var file = new ZipFile(zip.toFile())) {
            for (var entry : java.util.Collections.list(file.entries())) {
                assertThat(entry.getName()).as("everything in lib/").startsWith("lib/");
                if (entry.isDirectory()) {
                    continue;
                }
                var target = directory.resolve(entry.getName());
                Files.createDirectories(target.getParent());
                try (var in = file.getInputStream(entry)) {
                    Files.copy(in, target);
                }
                jars.add(target.toUri().toURL());
            }
        }
        assertThat(jars).anySatisfy(url -> assertThat(url.getPath()).contains("switchboard-" + module));
        return new Isolated(new URLClassLoader(jars.toArray(URL[]::new), ClassLoader.getPlatformClassLoader()));
    }

    private static final class Isolated implements AutoCloseable {
        private final URLClassLoader loader;
        private final ClassLoader before;

        Isolated(URLClassLoader loader) {
            this.loader = loader;
            this.before = Thread.currentThread().getContextClassLoader();
            Thread.currentThread().setContextClassLoader(loader);
        }

        Class<?> loadClass(String name) throws ClassNotFoundException {
            return loader.loadClass(name);
        }

        @Override
        public void close() throws IOException {
            Thread.currentThread().setContextClassLoader(before);
            loader.close();
        }
    }
}
