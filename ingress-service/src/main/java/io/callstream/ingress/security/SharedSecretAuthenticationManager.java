package io.callstream.ingress.security;

import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Event Grid's shared-secret authentication (PROTOCOLS §2, options 2 and 3): the subscription
 * URL carries {@code ?secret=…}, or a delivery property sets the {@code X-Callstream-Secret}
 * header. Several secrets may be valid at once, for rotation. Comparison is constant-time, and
 * the secret is never logged.
 */
final class SharedSecretAuthenticationManager implements ReactiveAuthenticationManager {

    /** The query parameter that carries the secret. */
    static final String QUERY_PARAMETER = "secret";
    /** The header that carries the secret. */
    static final String HEADER = "X-Callstream-Secret";

    private final List<byte[]> secrets;

    SharedSecretAuthenticationManager(List<String> secrets) {
        this.secrets = secrets == null ? List.of() : secrets.stream().filter(s -> s != null && !s.isBlank())
                .map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
        if (this.secrets.isEmpty()) {
            throw new IllegalStateException("callstream.ingress.event-grid.secrets (EVENTGRID_SECRETS) is empty: "
                    + "Event Grid deliveries could not be authenticated");
        }
    }

    @Override
    public Mono<Authentication> authenticate(Authentication authentication) {
        byte[] given = String.valueOf(authentication.getCredentials()).getBytes(StandardCharsets.UTF_8);
        boolean valid = false;
        for (byte[] secret : secrets) {
            valid |= MessageDigest.isEqual(secret, given);
        }
        return valid ? Mono.just(UsernamePasswordAuthenticationToken.authenticated("eventgrid", null, List.of()))
                : Mono.error(new BadCredentialsException("The Event Grid secret is not valid."));
    }

    /** Reads the secret from the query parameter or the header; no secret means no authentication attempt. */
    static final class Converter implements ServerAuthenticationConverter {
        @Override
        public Mono<Authentication> convert(ServerWebExchange exchange) {
            String secret = exchange.getRequest().getQueryParams().getFirst(QUERY_PARAMETER);
            if (secret == null) {
                secret = exchange.getRequest().getHeaders().getFirst(HEADER);
            }
            return secret == null || secret.isEmpty() ? Mono.empty()
                    : Mono.just(UsernamePasswordAuthenticationToken.unauthenticated("eventgrid", secret));
        }
    }
}
