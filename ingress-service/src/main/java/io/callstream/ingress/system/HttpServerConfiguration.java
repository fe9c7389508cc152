package io.callstream.ingress.system;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;
import reactor.netty.resources.LoopResources;

/**
 * The HTTP server's event loops: Reactor Netty's default workers (as many as cores, at least 4),
 * plus one thread of their own that only accepts connections; their threads are named
 * {@code ingress-http-epoll-N} and {@code ingress-http-select-epoll-1}.
 * <p>
 * By default Reactor Netty accepts on one of the workers. Under callback load each worker spends
 * most of its time checking JWTs, so a burst of new connections waited in the kernel's accept
 * queue: with 200 connections opened at once against a loaded ingress, up to 88 waited, and their
 * first requests took up to 1 s while every accepted request was answered within 60 ms
 * ({@code make bench}; README Performance). Senders that open connections as load rises
 * (Event Grid, Call Automation) would see the same. With its own acceptor the queue empties
 * within 20 ms.
 */
@Configuration(proxyBeanMethods = false)
class HttpServerConfiguration {

    /** Used by Spring Boot for the Netty server; it disposes the loops on shutdown. */
    @Bean
    ReactorResourceFactory reactorResourceFactory() {
        ReactorResourceFactory factory = new ReactorResourceFactory();
        factory.setUseGlobalResources(false);
        factory.setLoopResourcesSupplier(() -> LoopResources.create("ingress-http", 1, LoopResources.DEFAULT_IO_WORKER_COUNT, true));
        return factory;
    }
}
