package io.callstream.bench;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import static org.springframework.web.reactive.function.server.RouterFunctions.route;
import static org.springframework.web.reactive.function.server.RequestPredicates.POST;

/**
 * The floor of {@code make bench}: the least a webhook-to-Kafka service can do. {@code POST /floor}
 * sends the body as it is to the topic {@code bench.floor} with KafkaTemplate (acks=all, the same
 * producer settings as ingress, called on one sender thread as ingress calls it) and answers 200
 * once Kafka acknowledged it: no authentication,
 * no validation, no normalization. Port {@code FLOOR_PORT}, broker {@code KAFKA_BOOTSTRAP_SERVERS}.
 */
@SpringBootApplication
public class FloorApplication {

    static final String TOPIC = "bench.floor";

    /** Where the floor calls {@code send}, which may block: one thread, as ingress does. */
    @Bean(destroyMethod = "dispose")
    Scheduler floorSender() {
        return Schedulers.newSingle("kafka-sender", true);
    }

    @Bean
    RouterFunction<ServerResponse> floor(KafkaTemplate<byte[], byte[]> kafka, Scheduler floorSender) {
        return route(POST("/floor"), request -> request.bodyToMono(byte[].class)
                .flatMap(body -> Mono.fromCallable(() -> kafka.send(TOPIC, body)).subscribeOn(floorSender).flatMap(Mono::fromFuture))
                .then(ServerResponse.ok().build()));
    }

    public static void main(String[] args) {
        // As arguments, so that nothing on the classpath (the services' files) can override them.
        new SpringApplicationBuilder(FloorApplication.class).run(
                "--spring.config.name=bench-floor", "--spring.application.name=bench-floor",
                "--server.port=" + System.getenv().getOrDefault("FLOOR_PORT", "8090"), "--server.address=127.0.0.1",
                "--spring.kafka.bootstrap-servers=" + System.getenv().getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
                "--spring.kafka.producer.key-serializer=org.apache.kafka.common.serialization.ByteArraySerializer",
                "--spring.kafka.producer.value-serializer=org.apache.kafka.common.serialization.ByteArraySerializer",
                "--spring.kafka.producer.acks=all", "--spring.kafka.producer.compression-type=lz4",
                "--spring.kafka.producer.properties.enable.idempotence=true", "--spring.kafka.producer.properties.linger.ms=1",
                "--spring.kafka.producer.properties.batch.size=65536",
                // The classpath carries the services' libraries; the floor uses none of them.
                "--spring.autoconfigure.exclude=" + String.join(",",
                        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
                        "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
                        "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
                        "org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration",
                        "org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration",
                        "org.springframework.boot.security.autoconfigure.actuate.web.reactive.ReactiveManagementWebSecurityAutoConfiguration",
                        "org.springframework.boot.security.oauth2.server.resource.autoconfigure.reactive.ReactiveOAuth2ResourceServerAutoConfiguration",
                        "org.springframework.boot.security.oauth2.server.resource.autoconfigure.web.reactive.ReactiveOAuth2ResourceServerWebSecurityAutoConfiguration"));
    }
}
