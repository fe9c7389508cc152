package io.callstream.command.commands;

import io.callstream.events.Topics;
import io.callstream.events.commands.CommandResult;
import io.callstream.events.commands.Commands;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes command results to {@code calls.command-results}, keyed by commandId, and waits for
 * the broker's acknowledgement so that a result is never reported as sent when it was not.
 */
@Component
public class ResultPublisher {

    private final KafkaTemplate<String, byte[]> kafka;

    ResultPublisher(KafkaTemplate<String, byte[]> kafka) {
        this.kafka = kafka;
    }

    /**
     * Sends every result and waits for all acknowledgements.
     *
     * @throws IllegalStateException when the broker does not acknowledge within 30 s
     */
    public void publish(List<CommandResult> results) {
        List<CompletableFuture<SendResult<String, byte[]>>> sends = results.stream()
                .map(r -> kafka.send(Topics.COMMAND_RESULTS, r.commandId(), Commands.toJson(r))).toList();
        try {
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("command results not acknowledged by Kafka", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing command results", e);
        }
    }
}
