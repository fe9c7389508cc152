package io.callstream.emulator.faults;

import io.callstream.emulator.calls.AcsError;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Applies the active {@link Faults} fault to authenticated Call Automation REST requests (after
 * the HMAC check, before repeatable-request handling):
 * <ul>
 *   <li>a status fault answers with that status, ACS's error body and {@code Retry-After} if set,
 *   without executing the request, the way ACS throttles (429) or fails (500, 503);</li>
 *   <li>a delay fault executes the request, so that its effect and its repeatable-request record
 *   exist, and writes the response only after the delay: a client with a shorter timeout sees
 *   a timeout for a request that did act.</li>
 * </ul>
 */
@Component
@Order(1)
class FaultFilter implements WebFilter {

    private static final Logger log = LoggerFactory.getLogger(FaultFilter.class);

    private final Faults faults;
    private final RequestLedger ledger;

    FaultFilter(Faults faults, RequestLedger ledger) {
        this.faults = faults;
        this.ledger = ledger;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().value();
        if (!path.startsWith("/calling/callConnections") && !path.startsWith("/calling/recordings")) {
            return chain.filter(exchange);
        }
        ledger.received();
        Faults.Fault fault = faults.take();
        if (fault == null) {
            return chain.filter(exchange);
        }
        if (fault.status() != 0) {
            ledger.faulted();
            log.info("injected fault: {} {} answered {}", exchange.getRequest().getMethod(), path, fault.status());
            if (fault.retryAfter() != null) {
                exchange.getResponse().getHeaders().set("Retry-After", String.valueOf(fault.retryAfter().toSeconds()));
            }
            HttpStatus status = HttpStatus.valueOf(fault.status());
            return AcsError.write(exchange, status, status == HttpStatus.TOO_MANY_REQUESTS ? "TooManyRequests" : status.name(),
                    "Injected fault: " + status.value() + " " + status.getReasonPhrase() + ".");
        }
        log.info("injected fault: {} {} answered after {}", exchange.getRequest().getMethod(), path, fault.delay());
        var late = new ServerHttpResponseDecorator(exchange.getResponse()) {
            @Override
            public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
                return Mono.delay(fault.delay()).then(super.writeWith(body));
            }

            @Override
            public Mono<Void> setComplete() {
                return Mono.delay(fault.delay()).then(super.setComplete());
            }
        };
        return chain.filter(exchange.mutate().response(late).build());
    }
}
