package io.callstream.ingress.security;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.BearerTokenErrors;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.server.authentication.ServerBearerTokenAuthenticationConverter;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.util.StringUtils;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Reads the callback's bearer token from the {@code Authorization} header (RFC 6750 §2.1), with
 * the same outcomes as Spring Security's default {@link ServerBearerTokenAuthenticationConverter}
 * for a header-only resource server, but without its regular expression:
 * <ul>
 *   <li>no header, or one that does not start with {@code bearer} (any case): no token, so the
 *   request is not authenticated and gets the 401 problem response;</li>
 *   <li>{@code Bearer <b64token>} (RFC 6750's {@code b64token}: letters, digits, {@code -._~+/},
 *   then any {@code =}): a {@link BearerTokenAuthenticationToken} for the resource server's
 *   JWT decoder;</li>
 *   <li>anything else that starts with {@code bearer}: {@code invalid_token}, "Bearer token is
 *   malformed".</li>
 * </ul>
 * Spring's converter matched a case-insensitive pattern over the whole header, about 600
 * characters for a Call Automation JWT: 6% of ingress's CPU per callback under load
 * ({@code make bench}, README Performance). {@code BearerTokenConverterTests} checks that both
 * converters agree.
 */
final class BearerTokenConverter implements ServerAuthenticationConverter {

    private static final String SCHEME = "bearer";

    @Override
    public Mono<Authentication> convert(ServerWebExchange exchange) {
        String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (!StringUtils.startsWithIgnoreCase(authorization, SCHEME)) {
            return Mono.empty();
        }
        String token = token(authorization);
        return token == null ? Mono.error(new OAuth2AuthenticationException(BearerTokenErrors.invalidToken("Bearer token is malformed")))
                : Mono.just(new BearerTokenAuthenticationToken(token));
    }

    /** The b64token after {@code Bearer } and one space, or null when the header is not exactly that. */
    private static String token(String authorization) {
        int start = SCHEME.length() + 1;
        if (authorization.length() <= start || authorization.charAt(SCHEME.length()) != ' ' || !asciiScheme(authorization)) {
            return null;
        }
        int i = start;
        while (i < authorization.length() && tokenCharacter(authorization.charAt(i))) {
            i++;
        }
        if (i == start) {
            return null;
        }
        while (i < authorization.length() && authorization.charAt(i) == '=') {
            i++;
        }
        return i == authorization.length() ? authorization.substring(start) : null;
    }

    /** The scheme in ASCII letters of any case, as Spring's pattern matches it (no Unicode case folding). */
    private static boolean asciiScheme(String authorization) {
        for (int i = 0; i < SCHEME.length(); i++) {
            if ((authorization.charAt(i) | 0x20) != SCHEME.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean tokenCharacter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
    }
}
