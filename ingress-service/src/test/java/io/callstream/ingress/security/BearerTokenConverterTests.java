package io.callstream.ingress.security;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.server.authentication.ServerBearerTokenAuthenticationConverter;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BearerTokenConverterTests {

    private static final String JWT = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJpc3MiOiJodHRwczovL2FjcyJ9.c2lnbmF0dXJlLV8rLw";

    @Test
    void agreesWithSpringSecuritysConverterOnEveryHeaderShape() {
        List<String> headers = new ArrayList<>(List.of("Bearer " + JWT, "bearer " + JWT, "BEARER " + JWT, "bEaReR " + JWT,
                "Bearer " + JWT + "==", "Bearer " + JWT + "=x", "Bearer " + JWT + " ", " Bearer " + JWT, "Bearer  " + JWT,
                "Bearer\t" + JWT, "Bearer", "Bearer ", "Bearer =", "Bearer a", "Bearer a=", "Bearerx" + JWT, "Bearer" + JWT,
                "Basic dXNlcjpwYXNz", "", "Bearer " + JWT + "\n", "Beare " + JWT, "Bearer " + JWT + "," + JWT, "Bearer ab cd"));
        // Every character of Latin-1 and beyond in the token, and in place of each letter of the scheme.
        for (char c = 0; c < 0x300; c++) {
            headers.add("Bearer abc" + c + "def");
            headers.add("Bearer " + c);
            headers.add(c + "earer " + JWT);
            headers.add("Beare" + c + " " + JWT);
        }
        headers.add("\u212Aearer " + JWT);
        headers.add("Bearer \u017F" + JWT);

        ServerBearerTokenAuthenticationConverter spring = new ServerBearerTokenAuthenticationConverter();
        BearerTokenConverter ours = new BearerTokenConverter();
        for (String header : headers) {
            assertThat(outcome(ours, header)).as("Authorization: %s", header).isEqualTo(outcome(spring, header));
        }
        assertThat(outcome(ours, null)).isEqualTo(outcome(spring, null)).isEqualTo("none");
    }

    @Test
    void aWellFormedHeaderGivesItsTokenAndAMalformedOneIsAnInvalidTokenError() {
        assertThat(outcome(new BearerTokenConverter(), "Bearer " + JWT)).isEqualTo("token " + JWT);
        assertThat(outcome(new BearerTokenConverter(), "Bearer " + JWT + " x"))
                .isEqualTo("error invalid_token Bearer token is malformed");
        assertThat(outcome(new BearerTokenConverter(), "Basic dXNlcjpwYXNz")).isEqualTo("none");
    }

    /** "none", "token …" or "error code description": what the converter made of the header. */
    private static String outcome(ServerAuthenticationConverter converter, String authorization) {
        MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.post("/api/callbacks");
        if (authorization != null) {
            request.header(HttpHeaders.AUTHORIZATION, authorization);
        }
        try {
            Authentication authentication = converter.convert(MockServerWebExchange.from(request)).block();
            return authentication == null ? "none" : "token " + ((BearerTokenAuthenticationToken) authentication).getToken();
        } catch (OAuth2AuthenticationException e) {
            return "error " + e.getError().getErrorCode() + " " + e.getError().getDescription();
        }
    }
}
