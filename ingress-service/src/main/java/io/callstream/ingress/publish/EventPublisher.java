package io.callstream.ingress.publish;

import io.callstream.ingress.normalize.Channel;
import io.callstream.ingress.normalize.NormalizedEvent;
import io.callstream.ingress.system.IngressProperties;
import io.cloudevents.CloudEvent;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * Publishes a delivery's events to Kafka and completes only when the broker has acknowledged
 * every one (acks=all, idempotent producer: see {@code ingress-service.yaml}). Records use the
 * CloudEvents Kafka binding in binary mode, keyed by call. The producer's {@code send} can block
 * while it waits for metadata or buffer space, so it is called off the event loop, on one sender
 * thread that hands each delivery's events to the producer in order; the wait for
 * acknowledgements is not blocking. One thread, not a pool: under load it drains its queue
 * without sleeping, where a pool woke a parked thread for each request, and on 2 cores those
 * wake-ups cost more than the sends ({@code make bench}, jstack under load).
 */
@Component
public class EventPublisher implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);

    private final KafkaTemplate<String, CloudEvent> kafka;
    private final Duration timeout;
    private final Scheduler sender = Schedulers.newSingle("kafka-sender", true);

    EventPublisher(KafkaTemplate<String, CloudEvent> kafka, IngressProperties properties) {
        this.kafka = kafka;
        this.timeout = properties.publishTimeout();
    }

    @Override
    public void destroy() {
        sender.dispose();
    }

    /**
     * @return completes when all events are acknowledged; fails with {@link KafkaUnavailableException}
     *     when any is not, within the publish timeout
     */
    public Mono<Void> publish(Channel channel, List<NormalizedEvent> events) {
        return Mono.fromCallable(() -> events.stream()
                        .map(e -> kafka.send(new ProducerRecord<>(channel.topic(), e.key(), e.event())))
                        .toArray(CompletableFuture[]::new))
                .subscribeOn(sender)
                .flatMap(sent -> Mono.fromFuture(CompletableFuture.allOf(sent)))
                .timeout(timeout)
                .onErrorMap(e -> !(e instanceof KafkaUnavailableException), e -> {
                    log.warn("Kafka did not acknowledge a {} delivery of {} event(s): {}", channel, events.size(),
                            e instanceof TimeoutException ? "timed out after " + timeout : e.toString());
                    return new KafkaUnavailableException(e);
                });
    }
}
