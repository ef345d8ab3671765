package dev.switchboard.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.emulators.issuer.JwtIssuer;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.staticcontent.FileSystemHandlerConfig;
import io.helidon.webserver.staticcontent.StaticContentFeature;
import java.net.URI;
import java.nio.file.Files;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * The examples' own server (development only, {@code EXAMPLES_PORT}): the pages of {@code examples/} as they are on
 * disk, {@code /config.json} (where the gateway is), and {@code /token?user=NAME[&rooms=a,b]}, a token for any user
 * from the stack's dev issuer, with a {@code rooms} claim when asked (the chat's private rooms) — the only way the
 * pages get one. Never part of the gateway, and absent when the stack trusts
 * another identity provider (the token route answers 404 then, saying why).
 */
final class LocalExamples {
    /** A user name a page may ask a token for: what the chat and call-room pages let people type. */
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9_.@-]{1,64}");

    private LocalExamples() {}

    static WebServer start(LocalSettings settings, LocalAuth auth, JwtIssuer issuer, URI wsUrl, URI managementUrl) {
        var json = new ObjectMapper();
        var directory = settings.examplesDir().toAbsolutePath().normalize();
        return WebServer.builder()
                .host(settings.host())
                .port(settings.examplesPort())
                .routing(routing -> {
                    routing.get("/config.json", (req, res) -> {
                        var config = json.createObjectNode()
                                .put("wsUrl", wsUrl.toString())
                                .put("tokenUrl", "/token");
                        res.header(HeaderNames.CACHE_CONTROL, "no-store").send(config.toString());
                    });
                    routing.get("/token", (req, res) -> token(req, res, settings, auth, issuer));
                    if (Files.isDirectory(directory)) {
                        routing.register(
                                "/",
                                StaticContentFeature.createService(FileSystemHandlerConfig.builder()
                                        .location(directory)
                                        .welcome("index.html")
                                        .build()));
                    }
                })
                .build()
                .start();
    }

    private static void token(
            ServerRequest request, ServerResponse response, LocalSettings settings, LocalAuth auth, JwtIssuer issuer) {
        var user = request.query().first("user").orElse("");
        if (!USER.matcher(user).matches()) {
            response.status(Status.BAD_REQUEST_400).send("user: 1 to 64 of A-Z a-z 0-9 _ . @ -");
            return;
        }
        var rooms = java.util.Arrays.stream(
                        request.query().first("rooms").orElse("").split(","))
                .map(String::trim)
                .filter(room -> !room.isEmpty())
                .toList();
        if (!rooms.stream().allMatch(room -> USER.matcher(room).matches())) {
            response.status(Status.BAD_REQUEST_400).send("rooms: comma-separated names of A-Z a-z 0-9 _ . @ -");
            return;
        }
        var token = auth.devToken(
                issuer,
                user,
                settings.audiences().stream().findFirst(),
                Instant.now().plus(settings.devTokenValidity()),
                rooms.isEmpty() ? java.util.Map.of() : java.util.Map.of("rooms", rooms));
        if (token.isEmpty()) {
            response.status(Status.NOT_FOUND_404)
                    .send("no dev tokens: the stack trusts another identity provider (AUTH_JWKS_URI)");
            return;
        }
        response.header(HeaderNames.CACHE_CONTROL, "no-store").send(token.get());
    }
}
