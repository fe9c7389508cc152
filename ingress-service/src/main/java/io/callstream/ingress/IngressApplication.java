package io.callstream.ingress;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * ingress-service: takes Event Grid deliveries on {@code POST /api/eventgrid} and Call Automation
 * callbacks on {@code POST /api/callbacks}, and answers 2xx only once Kafka has acknowledged every
 * event. Its configuration file is {@code ingress-service.yaml}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class IngressApplication {

    /** The application, reading {@code ingress-service.yaml}. */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(IngressApplication.class).properties("spring.config.name=ingress-service");
    }

    public static void main(String[] args) {
        application().run(args);
    }
}
