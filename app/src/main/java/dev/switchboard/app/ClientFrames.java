package dev.switchboard.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.app.hub.ClientConnection;
import dev.switchboard.app.hub.LocalConnections;
import dev.switchboard.app.hub.OutFrame;
import dev.switchboard.app.metrics.GatewayMetrics;
import dev.switchboard.app.metrics.GatewayMetrics.FrameKind;
import dev.switchboard.app.metrics.GatewayMetrics.Output;
import dev.switchboard.app.outputs.OutputException;
import dev.switchboard.app.outputs.Outputs;
import dev.switchboard.app.protocol.CloseCause;
import dev.switchboard.app.protocol.ErrorCode;
import dev.switchboard.app.protocol.Frame;
import dev.switchboard.app.protocol.FrameLimit;
import dev.switchboard.app.protocol.FrameParser;
import dev.switchboard.app.protocol.Json;
import dev.switchboard.app.topics.TopicPresence;
import dev.switchboard.app.topics.TopicRelay;
import dev.switchboard.authorizer.Principal;
import dev.switchboard.authorizer.TokenVerifier;
import dev.switchboard.authorizer.Verification;
import dev.switchboard.registry.ConnectionRegistry;
import dev.switchboard.registry.RegistryException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;

/**
 * What a client's frames do, in both dialects: size and rate checked, parsed, then answered (pings), sent on to the
 * backends (send, publish), or applied to its topics (subscribe, unsubscribe, y-webrtc's publish relayed to every
 * subscriber on every node). Refusals count towards the abuse limit; past it the connection is closed with 1008.
 * Never throws: a frame that fails is answered with an error frame and the connection stays up.
 */
final class ClientFrames implements Gateway.Frames {
    private static final System.Logger LOG = System.getLogger(ClientFrames.class.getName());
    /** What a client is told when the node did what it asked and the registry could not record it. */
    private static final String NOT_RECORDED = "%s on this node, but not recorded in the registry";

    private final GatewaySettings settings;
    private final ConnectionRegistry registry;
    private final LocalConnections hub;
    private final Outputs outputs;
    private final GatewayMetrics metrics;
    private final ObjectMapper json;
    private final FrameParser parser;
    private final FrameLimit frameLimit;
    private final TopicRelay relay;
    private final AwsCalls aws;
    private final TokenVerifier verifier;
    private final TopicPresence presence;

    ClientFrames(
            GatewaySettings settings,
            ConnectionRegistry registry,
            LocalConnections hub,
            Outputs outputs,
            GatewayMetrics metrics,
            ObjectMapper json,
            FrameLimit frameLimit,
            TopicRelay relay,
            AwsCalls aws,
            TokenVerifier verifier,
            TopicPresence presence) {
        this.settings = settings;
        this.registry = registry;
        this.hub = hub;
        this.outputs = outputs;
        this.metrics = metrics;
        this.json = json;
        this.parser = new FrameParser(json, settings.maxTopicLength());
        this.frameLimit = frameLimit;
        this.relay = relay;
        this.aws = aws;
        this.verifier = verifier;
        this.presence = presence;
    }

    /** Handles one text frame. Never throws; a frame of a closed connection reaches nothing. */
    @Override
    public void onText(ClientConnection connection, String text) {
        if (!connection.isOpen()) {
            return;
        }
        try {
            connection.touch();
            if (!connection.rate().tryAcquire()) {
                rateLimited(connection);
                return;
            }
            if (frameLimit.exceeds(text)) {
                refuse(connection, FrameKind.TOO_LARGE, ErrorCode.FRAME_TOO_LARGE, frameLimit.message());
                return;
            }
            connection.rate().accepted();
            handle(connection, parser.parse(text));
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "frame failed connectionId=" + connection.id(), e);
            error(connection, ErrorCode.INTERNAL, "the frame could not be handled");
        }
    }

    /** A binary frame: neither dialect has them. Counts towards the abuse limit. */
    @Override
    public void onBinary(ClientConnection connection) {
        if (connection.isOpen() && admitted(connection)) {
            refuse(
                    connection,
                    FrameKind.BINARY,
                    ErrorCode.BINARY_NOT_SUPPORTED,
                    "binary frames are not supported; send JSON text frames");
        }
    }

    /** A frame larger than the limit, refused unread (its fragments were not kept). Counts towards the abuse limit. */
    @Override
    public void onTooLarge(ClientConnection connection) {
        if (connection.isOpen() && admitted(connection)) {
            refuse(connection, FrameKind.TOO_LARGE, ErrorCode.FRAME_TOO_LARGE, frameLimit.message());
        }
    }

    private void handle(ClientConnection connection, Frame frame) {
        switch (frame) {
            case Frame.Ping ping -> {
                metrics.frameIn(FrameKind.PING);
                reply(
                        connection,
                        FrameKind.PONG,
                        json.createObjectNode()
                                .put("type", "pong")
                                .put("statusCode", 200)
                                .put("connectionId", connection.id()));
            }
            case Frame.Send send -> {
                metrics.frameIn(FrameKind.SEND);
                output(
                        connection,
                        Output.SQS,
                        () -> outputs.send(connection.userId(), connection.id(), send.message()));
            }
            case Frame.Publish publish -> {
                metrics.frameIn(FrameKind.PUBLISH);
                output(
                        connection,
                        Output.SNS,
                        () -> outputs.publish(connection.userId(), connection.id(), publish.message()));
            }
            case Frame.Subscribe subscribe -> subscribe(connection, subscribe);
            case Frame.HistoryQuery query -> history(connection, query);
            case Frame.PresenceQuery query -> members(connection, query);
            case Frame.Unsubscribe unsubscribe -> {
                metrics.frameIn(FrameKind.UNSUBSCRIBE);
                if (unsubscribe.topics().size() > settings.maxTopics()) {
                    error(
                            connection,
                            ErrorCode.TOO_MANY_TOPICS,
                            "an unsubscribe names at most " + settings.maxTopics() + " topics; none was unsubscribed");
                    return;
                }
                var members = connection.memberTopicSet();
                var removed = hub.unsubscribe(connection, unsubscribe.topics());
                var leaving = removed.stream().filter(members::contains).toList();
                try {
                    aws.run(() -> {
                        presence.leave(connection, leaving);
                        registry.topics().unsubscribe(connection.id(), unsubscribe.topics());
                        removed.forEach(relay::countChanged);
                    });
                } catch (RegistryException e) {
                    // Told as a subscribe's failure is: the node has done it, the registry has not.
                    LOG.log(
                            Level.WARNING,
                            "unsubscribe not recorded connectionId={0}: {1}",
                            connection.id(),
                            e.getMessage());
                    error(connection, ErrorCode.INTERNAL, NOT_RECORDED.formatted("unsubscribed"));
                }
            }
            case Frame.TopicPublish publish -> {
                metrics.frameIn(FrameKind.TOPIC_PUBLISH);
                switch (connection.access().publish(publish.topic())) {
                    case ALLOWED -> publish(connection, publish);
                    case FORBIDDEN ->
                        topicError(
                                connection,
                                ErrorCode.FORBIDDEN,
                                publish.topic(),
                                "the topic rules do not allow publishing to this topic");
                    case RATE_LIMITED ->
                        topicError(
                                connection,
                                ErrorCode.RATE_LIMITED,
                                publish.topic(),
                                "more publishes to this topic than its rule's publishRate; this one was dropped");
                }
            }
            case Frame.Refresh refresh -> {
                metrics.frameIn(FrameKind.REFRESH);
                refresh(connection, refresh.token());
            }
            case Frame.TopicPing ping -> {
                metrics.frameIn(FrameKind.TOPIC_PING);
                reply(connection, FrameKind.PONG, json.createObjectNode().put("type", "pong"));
            }
            case Frame.Invalid invalid -> {
                metrics.frameIn(FrameKind.INVALID);
                error(connection, invalid.code(), invalid.message());
            }
        }
    }

    /**
     * A fresh token, checked exactly as at the handshake and for the same user: the connection's close moves to its
     * expiry and its claims apply from now on. Refused, the connection goes on as it was (and still closes when its
     * own token expires).
     */
    private void refresh(ClientConnection connection, String token) {
        Principal fresh;
        switch (verifier.verify(token)) {
            case Verification.Verified(var verified) -> fresh = verified;
            case Verification.Refused refused -> {
                LOG.log(Level.INFO, "refresh refused connectionId={0} reason={1}", connection.id(), refused.reason());
                error(
                        connection,
                        ErrorCode.INVALID_TOKEN,
                        "the token was refused (" + refused.reason().label()
                                + "); the connection goes on with its current token");
                return;
            }
        }
        if (!fresh.userId().equals(connection.userId())) {
            LOG.log(Level.WARNING, "refresh for another user refused connectionId={0}", connection.id());
            error(
                    connection,
                    ErrorCode.INVALID_TOKEN,
                    "the token is another user's; the connection goes on with its current token");
            return;
        }
        connection.renew(settings.topicRules().forToken(fresh.userId(), fresh.claims()));
        var closeAt = Gateway.closeAt(settings, fresh);
        connection.expiresAt(closeAt);
        var answer = json.createObjectNode().put("type", "refreshed");
        fresh.expiresAt().ifPresent(exp -> answer.put("exp", exp.getEpochSecond()));
        reply(connection, FrameKind.REFRESHED, answer);
    }

    /** One page of a topic's presence members, where the rules let this connection be one. */
    private void members(ClientConnection connection, Frame.PresenceQuery query) {
        metrics.frameIn(FrameKind.PRESENCE);
        if (!connection.access().mayJoin(query.topic())) {
            topicError(
                    connection,
                    ErrorCode.FORBIDDEN,
                    query.topic(),
                    "the topic rules do not allow presence on this topic");
            return;
        }
        try {
            var page = aws.call(() -> presence.members(query.topic(), query.after(), query.limit()));
            if (connection.send(page)) {
                metrics.frameOut(FrameKind.PRESENCE);
            }
        } catch (RegistryException e) {
            LOG.log(Level.WARNING, "presence not read topic={0}: {1}", query.topic(), e.getMessage());
            error(connection, ErrorCode.INTERNAL, "the topic's members could not be read; ask again");
        }
    }

    /** A client's publish: relayed, and first stored at its offset when the topic keeps history. */
    private void publish(ClientConnection connection, Frame.TopicPublish publish) {
        var kept = settings.topicRules().historyOf(publish.topic());
        if (kept.isEmpty()) {
            relay.publish(publish.topic(), clients -> publish.withClients(clients));
            return;
        }
        try {
            aws.run(() -> relay.publishKept(
                    publish.topic(),
                    kept.get(),
                    (clients, epoch, offset) -> publish.withPosition(clients, epoch, offset)));
        } catch (RegistryException e) {
            LOG.log(Level.WARNING, "publish not stored topic={0}: {1}", publish.topic(), e.getMessage());
            topicError(
                    connection,
                    ErrorCode.INTERNAL,
                    publish.topic(),
                    "the publish could not be stored in the topic's history, so it was not sent; send it again");
        }
    }

    /** The topic's last messages, oldest first, as they were delivered. */
    private void history(ClientConnection connection, Frame.HistoryQuery query) {
        metrics.frameIn(FrameKind.HISTORY);
        var topic = query.topic();
        if (!connection.access().maySubscribe(topic)) {
            topicError(
                    connection, ErrorCode.FORBIDDEN, topic, "the topic rules do not allow subscribing to this topic");
            return;
        }
        var kept = settings.topicRules().historyOf(topic);
        var answer = new StringBuilder("{\"type\":\"history\",\"topic\":")
                .append(json.getNodeFactory().textNode(topic));
        try {
            if (kept.isPresent()) {
                var limit = Math.min(query.limit(), kept.get().messages());
                var entries = aws.call(() -> registry.history().last(topic, limit));
                var epoch = entries.isEmpty()
                        ? aws.call(() -> registry.history().head(topic)).epoch()
                        : entries.getLast().epoch();
                answer.append(",\"epoch\":").append(json.getNodeFactory().textNode(epoch));
                answer.append(",\"messages\":[");
                for (var i = 0; i < entries.size(); i++) {
                    answer.append(i == 0 ? "" : ",").append(entries.get(i).frame());
                }
                answer.append("]}");
            } else {
                answer.append(",\"messages\":[]}"); // a topic without history keeps nothing
            }
        } catch (RegistryException e) {
            LOG.log(Level.WARNING, "history not read topic={0}: {1}", topic, e.getMessage());
            topicError(connection, ErrorCode.INTERNAL, topic, "the topic's history could not be read; ask again");
            return;
        }
        if (connection.send(answer.toString())) {
            metrics.frameOut(FrameKind.HISTORY);
        }
    }

    /**
     * Recovery of one topic the connection just subscribed to, its live messages held since before: {@code
     * {"type":"recovery",…}}, then what it missed in order when it can be recovered, then the held live messages
     * after those — none twice, none lost at the seam.
     */
    private void recover(ClientConnection connection, String topic, Frame.Since since) {
        var kept = settings.topicRules().historyOf(topic);
        var frame = json.createObjectNode().put("type", "recovery").put("topic", topic);
        if (kept.isEmpty()) {
            connection.send(Json.text(frame.put("recovered", false)));
            connection.recovered(topic, OutFrame.NONE);
            connection.forgetRecovery(topic);
            return;
        }
        try {
            var missed = aws.call(() -> registry.history()
                    .since(topic, since.epoch(), since.offset(), kept.get().messages()));
            connection.send(Json.text(frame.put("recovered", missed.recovered())
                    .put("epoch", missed.head().epoch())
                    .put("offset", missed.head().offset())));
            for (var entry : missed.messages()) {
                connection.send(OutFrame.kept(entry.frame(), entry.offset()));
            }
            metrics.frameOut(FrameKind.RECOVERY);
            connection.recovered(topic, missed.head().offset());
        } catch (RegistryException e) {
            LOG.log(Level.WARNING, "recovery not read topic={0}: {1}", topic, e.getMessage());
            topicError(
                    connection,
                    ErrorCode.INTERNAL,
                    topic,
                    "the topic's history could not be read; subscribed without recovery");
            connection.recovered(topic, OutFrame.NONE);
            connection.forgetRecovery(topic);
        }
    }

    private void subscribe(ClientConnection connection, Frame.Subscribe subscribe) {
        var asked = subscribe.topics();
        var withPresence = subscribe.presence();
        metrics.frameIn(FrameKind.SUBSCRIBE);
        // Each refused topic is told on its own; the others of the same subscribe still take effect.
        var topics = new ArrayList<String>(asked.size());
        var refused = new HashSet<String>();
        for (var topic : asked) {
            if (connection.access().maySubscribe(topic)) {
                topics.add(topic);
            } else if (refused.add(topic)) {
                topicError(
                        connection,
                        ErrorCode.FORBIDDEN,
                        topic,
                        "the topic rules do not allow subscribing to this topic");
            }
        }
        if (topics.isEmpty()) {
            return;
        }
        var fresh = topics.stream()
                .distinct()
                .filter(t -> !connection.isSubscribedTo(t))
                .count();
        if (connection.topicCount() + fresh > settings.maxTopics()) {
            error(
                    connection,
                    ErrorCode.TOO_MANY_TOPICS,
                    "a connection may subscribe to at most " + settings.maxTopics()
                            + " topics; none of these was subscribed");
            return;
        }
        // Live messages of the topics to recover wait from before they are subscribed here, so none slips past.
        var recovering = new java.util.LinkedHashMap<String, Frame.Since>();
        subscribe.since().forEach((topic, since) -> {
            if (topics.contains(topic)) {
                recovering.put(topic, since);
                connection.recovering(topic);
            }
        });
        var added = hub.subscribe(connection, topics);
        // Presence where asked and allowed (refused: told, and the subscription stands), for topics not joined yet.
        var joining = new ArrayList<String>();
        if (withPresence) {
            for (var topic : topics.stream().distinct().toList()) {
                if (!connection.access().mayJoin(topic)) {
                    topicError(
                            connection,
                            ErrorCode.FORBIDDEN,
                            topic,
                            "the topic rules do not allow presence on this topic; subscribed without it");
                } else if (!connection.memberTopicSet().contains(topic)) {
                    joining.add(topic);
                }
            }
        }
        if (!added.isEmpty() || !joining.isEmpty()) {
            var recorded = new java.util.LinkedHashSet<>(added);
            recorded.addAll(joining); // a member's subscription is marked so: written again when it was there before
            try {
                aws.run(() -> {
                    registry.topics().subscribe(connection.record(), recorded, Set.copyOf(joining));
                    added.forEach(relay::countChanged);
                    presence.join(connection, joining);
                });
            } catch (RegistryException e) {
                LOG.log(
                        Level.WARNING,
                        "subscription not recorded connectionId={0}: {1}",
                        connection.id(),
                        e.getMessage());
                error(connection, ErrorCode.INTERNAL, NOT_RECORDED.formatted("subscribed"));
            }
        }
        recovering.forEach((topic, since) -> recover(connection, topic, since));
    }

    /**
     * Makes an output call (SQS, SNS) on the shared AWS threads; one that fails is counted, logged and told to the
     * client with its own code ({@link OutputException#code}).
     */
    private void output(ClientConnection connection, Output output, Runnable call) {
        try {
            aws.call(() -> {
                call.run();
                return null;
            });
        } catch (OutputException e) {
            metrics.outputFailure(output);
            LOG.log(
                    Level.WARNING,
                    "output failed connectionId={0} output={1}: {2}",
                    connection.id(),
                    output.label(),
                    e.getMessage());
            error(connection, e.code(), e.getMessage());
        }
    }

    /** Takes a rate token for a refused frame too: refusing costs an error frame, and is rate-limited the same. */
    private boolean admitted(ClientConnection connection) {
        if (connection.rate().tryAcquire()) {
            return true;
        }
        rateLimited(connection);
        return false;
    }

    /** Refuses a frame (too large, binary): counted as refused in a row, told, and closed past the abuse limit. */
    private void refuse(ClientConnection connection, FrameKind kind, ErrorCode code, String message) {
        metrics.frameIn(kind);
        connection.rate().refused();
        if (!abusive(connection)) {
            error(connection, code, message);
        }
    }

    /** Past the abuse limit (refusals in a row): closed with 1008. */
    private boolean abusive(ClientConnection connection) {
        var refused = connection.rate().refusedInARow();
        if (refused < settings.abuseThreshold()) {
            return false;
        }
        if (connection.isOpen()) {
            LOG.log(
                    Level.WARNING,
                    "closing abusive connection connectionId={0} refusedInARow={1}",
                    connection.id(),
                    refused);
            connection.close(CloseCause.ABUSE);
        }
        return true;
    }

    private void rateLimited(ClientConnection connection) {
        var refused = connection.rate().refusedInARow();
        if (abusive(connection)) {
            return;
        }
        if (refused == 1 || refused % 100 == 0) {
            error(
                    connection,
                    ErrorCode.RATE_LIMITED,
                    "more than " + (int) settings.ratePerSecond() + " frames a second; frames are being dropped");
        } else {
            metrics.error(ErrorCode.RATE_LIMITED);
        }
    }

    private void error(ClientConnection connection, ErrorCode code, String message) {
        topicError(connection, code, null, message);
    }

    /** An error, about one topic when {@code topic} is not null: {@code {"type":"error","code","topic","message"}}. */
    private void topicError(ClientConnection connection, ErrorCode code, String topic, String message) {
        metrics.error(code);
        reply(connection, FrameKind.ERROR, code.frame(json.getNodeFactory(), topic, message));
    }

    private void reply(ClientConnection connection, FrameKind kind, ObjectNode frame) {
        if (connection.send(Json.text(frame))) {
            metrics.frameOut(kind);
        }
    }
}
