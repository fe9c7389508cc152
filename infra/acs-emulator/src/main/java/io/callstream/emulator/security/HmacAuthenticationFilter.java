package io.callstream.emulator.security;

import io.callstream.emulator.calls.AcsError;
import io.callstream.emulator.system.EmulatorProperties;
import io.callstream.emulator.system.LocalCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Rejects every Call Automation REST request ({@code /calling/callConnections…},
 * {@code /calling/recordings…}) whose HMAC signature does not verify against the resource's access
 * key, with 401 and ACS's error shape; the JWKS and OpenID paths under {@code /calling} stay open.
 * The body is read once, checked, and handed on unchanged.
 */
@Component
@Order(0)
class HmacAuthenticationFilter implements WebFilter {

    private static final Logger log = LoggerFactory.getLogger(HmacAuthenticationFilter.class);

    private final HmacSignature signature;

    HmacAuthenticationFilter(EmulatorProperties properties) {
        this.signature = new HmacSignature(LocalCredentials.accessKey(properties.dataDir()));
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String path = request.getPath().value();
        if (!path.startsWith("/calling/callConnections") && !path.startsWith("/calling/recordings")) {
            return chain.filter(exchange);
        }
        return DataBufferUtils.join(request.getBody())
                .map(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    return bytes;
                })
                .defaultIfEmpty(new byte[0])
                .flatMap(body -> {
                    Optional<String> problem = verify(request, body);
                    if (problem.isPresent()) {
                        log.info("rejected {} {}: {}", request.getMethod(), path, problem.get());
                        return AcsError.write(exchange, HttpStatus.UNAUTHORIZED, "Unauthorized", problem.get());
                    }
                    ServerHttpRequest replay = new ServerHttpRequestDecorator(request) {
                        @Override
                        public Flux<DataBuffer> getBody() {
                            return Flux.defer(() -> Flux.just(exchange.getResponse().bufferFactory().wrap(body)));
                        }
                    };
                    return chain.filter(exchange.mutate().request(replay).build());
                });
    }

    private Optional<String> verify(ServerHttpRequest request, byte[] body) {
        String rawQuery = request.getURI().getRawQuery();
        String pathAndQuery = request.getURI().getRawPath() + (rawQuery == null ? "" : "?" + rawQuery);
        Set<String> hosts = new LinkedHashSet<>();
        String hostHeader = request.getHeaders().getFirst("Host");
        if (hostHeader != null) {
            hosts.add(hostHeader.contains(":") && !hostHeader.startsWith("[") ? hostHeader.substring(0, hostHeader.indexOf(':')) : hostHeader);
            hosts.add(hostHeader);
        }
        hosts.add(request.getURI().getHost());
        return signature.verify(request.getMethod().name(), pathAndQuery, hosts,
                request.getHeaders().getFirst("x-ms-date"), request.getHeaders().getFirst("x-ms-content-sha256"),
                request.getHeaders().getFirst("Authorization"), body, Instant.now());
    }
}
