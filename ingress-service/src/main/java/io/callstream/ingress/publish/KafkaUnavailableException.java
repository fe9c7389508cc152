package io.callstream.ingress.publish;

/** Kafka did not acknowledge a delivery in time; answered with 503 so that the sender retries. */
public class KafkaUnavailableException extends RuntimeException {

    public KafkaUnavailableException(Throwable cause) {
        super("Kafka did not acknowledge the events; retry later.", cause);
    }
}
