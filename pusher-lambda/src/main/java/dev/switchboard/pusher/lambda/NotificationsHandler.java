package dev.switchboard.pusher.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.switchboard.pusher.Main;
import dev.switchboard.pusher.PusherSettings;
import dev.switchboard.pusher.fanout.FanOut;
import dev.switchboard.pusher.request.NotificationRequest;
import dev.switchboard.pusher.request.RequestParser;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The pusher as SUMU ran it: a Lambda function on the notifications queue's event source mapping (enable
 * {@code ReportBatchItemFailures}). Each record is fanned out with the same code as the long-running pusher
 * ({@link FanOut}), all records at once; a record that did not reach every target — or that is not a request —
 * is reported in {@code batchItemFailures}, so SQS redelivers only it and, after maxReceiveCount, moves it to the
 * dead-letter queue. Settings are the pusher's environment names (docs/delivery.md); there is no queue URL to set.
 */
public final class NotificationsHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private static final System.Logger LOG = System.getLogger(NotificationsHandler.class.getName());

    private final RequestParser parser;
    private final FanOut fanOut;

    /** For the Lambda runtime: settings from the environment, clients built once per execution environment. */
    public NotificationsHandler() {
        this(settings(), DynamoDbClient.create());
    }

    public NotificationsHandler(PusherSettings settings, DynamoDbClient dynamoDb) {
        this.parser = Main.parser(settings);
        this.fanOut = Main.fanOut(settings, dynamoDb, Main.delivery(settings));
    }

    /** The pusher's settings from the environment; the queue is the event source mapping's, not a setting here. */
    static PusherSettings settings() {
        return PusherSettings.fromEventSource(PusherSettings.config());
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        var failures = new ArrayList<SQSBatchResponse.BatchItemFailure>();
        var records = event.getRecords() == null ? List.<SQSEvent.SQSMessage>of() : event.getRecords();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var results = new ArrayList<Future<Boolean>>();
            for (var record : records) {
                results.add(threads.submit(() -> handle(record)));
            }
            for (var i = 0; i < records.size(); i++) {
                boolean done;
                try {
                    done = results.get(i).get();
                } catch (ExecutionException e) {
                    LOG.log(
                            Level.WARNING,
                            "record failed messageId={0}",
                            records.get(i).getMessageId(),
                            e.getCause());
                    done = false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    done = false;
                }
                if (!done) {
                    failures.add(
                            new SQSBatchResponse.BatchItemFailure(records.get(i).getMessageId()));
                }
            }
        }
        return new SQSBatchResponse(failures);
    }

    private boolean handle(SQSEvent.SQSMessage record) throws InterruptedException {
        return switch (parser.parse(record.getBody())) {
            case RequestParser.Refused(var reason) -> {
                LOG.log(
                        Level.WARNING,
                        "notification refused messageId={0}: {1} (reported failed: the queue's redrive dead-letters it)",
                        record.getMessageId(),
                        reason);
                yield false;
            }
            case RequestParser.Accepted(var request) -> deliver(record, request);
        };
    }

    private boolean deliver(SQSEvent.SQSMessage record, NotificationRequest request) throws InterruptedException {
        var outcome = fanOut.fanOut(record.getMessageId(), request);
        if (!outcome.complete()) {
            LOG.log(
                    Level.WARNING,
                    "notification left for redelivery messageId={0} failed={1} of {2}: {3}",
                    record.getMessageId(),
                    outcome.failed(),
                    outcome.targets(),
                    outcome.failure().orElse(""));
        }
        return outcome.complete();
    }
}
