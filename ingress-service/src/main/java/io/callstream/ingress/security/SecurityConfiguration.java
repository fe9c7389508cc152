package io.callstream.ingress.security;

import io.callstream.ingress.system.IngressProperties;
import io.netty.handler.ssl.SslContextBuilder;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;

import javax.net.ssl.SSLException;
import java.util.Collection;
import java.util.List;

/**
 * Who may deliver what (PROTOCOLS §1 and §2), with Spring Security's reactive resource server:
 * <ul>
 *   <li>{@code /api/callbacks}: a bearer JWT signed with a key of the Call Automation JWKS (RS256),
 *   with the configured issuer and audience, not expired.</li>
 *   <li>{@code /api/eventgrid}: the shared secret ({@code ?secret=} or {@code X-Callstream-Secret}),
 *   or in {@code entra} mode a Microsoft Entra token with the configured audience, issuer and
 *   app role. The OPTIONS handshake needs neither: it publishes nothing.</li>
 *   <li>{@code /actuator/health}: open.</li>
 * </ul>
 * Every rejection is a 401 problem response; nothing of a rejected delivery is published.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
class SecurityConfiguration {

    /**
     * No observations of Spring Security's own: they wrapped each of the chain's filters in an
     * observation per request, a measured share of a callback's CPU ({@code make bench}). The
     * requests themselves are still observed ({@code http.server.requests}).
     */
    @Bean
    static SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    /** Spring Security's strict firewall, with its header rules checked without regular expressions. */
    @Bean
    static ServerWebExchangeFirewall firewall() {
        return HeaderFirewall.create();
    }

    @Bean
    @Order(1)
    SecurityWebFilterChain callbackChain(ServerHttpSecurity http, IngressProperties properties, SslBundles ssl) {
        IngressProperties.Callbacks callbacks = properties.callbacks();
        ReactiveJwtDecoder decoder = decoder(callbacks.jwkSetUri().toString(), callbacks.sslBundle(), ssl,
                List.of(JwtValidators.createDefaultWithIssuer(callbacks.issuer()), JwksDecoders.audience(callbacks.audience())));
        return base(http, "/api/callbacks")
                .authorizeExchange(a -> a.anyExchange().authenticated())
                .oauth2ResourceServer(o -> o.jwt(j -> j.jwtDecoder(decoder)).bearerTokenConverter(new BearerTokenConverter())
                        .authenticationEntryPoint(new ProblemEntryPoint()))
                .build();
    }

    @Bean
    @Order(2)
    SecurityWebFilterChain eventGridChain(ServerHttpSecurity http, IngressProperties properties, SslBundles ssl) {
        IngressProperties.EventGrid eventGrid = properties.eventGrid();
        ServerHttpSecurity chain = base(http, "/api/eventgrid")
                .authorizeExchange(a -> a.pathMatchers(HttpMethod.OPTIONS, "/api/eventgrid").permitAll().anyExchange().authenticated());
        switch (eventGrid.auth()) {
            case "secret" -> {
                AuthenticationWebFilter filter = new AuthenticationWebFilter(new SharedSecretAuthenticationManager(eventGrid.secrets()));
                filter.setServerAuthenticationConverter(new SharedSecretAuthenticationManager.Converter());
                filter.setAuthenticationFailureHandler((exchange, e) -> new ProblemEntryPoint().commence(exchange.getExchange(), e));
                chain.addFilterAt(filter, SecurityWebFiltersOrder.AUTHENTICATION)
                        .exceptionHandling(e -> e.authenticationEntryPoint(new ProblemEntryPoint()));
            }
            case "entra" -> {
                IngressProperties.Entra entra = eventGrid.entra();
                if (entra == null || entra.issuer() == null || entra.issuer().isBlank() || entra.audience() == null || entra.audience().isBlank()) {
                    throw new IllegalStateException("callstream.ingress.event-grid.auth=entra needs entra.issuer and entra.audience");
                }
                ReactiveJwtDecoder decoder = decoder(entra.jwkSetUri().toString(), null, ssl, List.of(
                        JwtValidators.createDefaultWithIssuer(entra.issuer()), JwksDecoders.audience(entra.audience()), role(entra.role())));
                chain.oauth2ResourceServer(o -> o.jwt(j -> j.jwtDecoder(decoder)).authenticationEntryPoint(new ProblemEntryPoint()));
            }
            default -> throw new IllegalStateException("callstream.ingress.event-grid.auth must be 'secret' or 'entra', not '" + eventGrid.auth() + "'");
        }
        return chain.build();
    }

    @Bean
    @Order(3)
    SecurityWebFilterChain everythingElse(ServerHttpSecurity http) {
        return http.authorizeExchange(a -> a.pathMatchers("/actuator/health/**", "/actuator/health").permitAll().anyExchange().denyAll())
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .exceptionHandling(e -> e.authenticationEntryPoint(new ProblemEntryPoint()))
                .build();
    }

    private static ServerHttpSecurity base(ServerHttpSecurity http, String path) {
        return http.securityMatcher(ServerWebExchangeMatchers.pathMatchers(path, path + "/**"))
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(c -> c.requestCache(NoOpServerRequestCache.getInstance()));
    }

    /** A {@link JwksDecoders} decoder whose JWKS is fetched over TLS trusting the given SSL bundle (the JDK's trust when none). */
    private static ReactiveJwtDecoder decoder(String jwkSetUri, String sslBundle, SslBundles ssl, List<OAuth2TokenValidator<Jwt>> validators) {
        return JwksDecoders.create(jwkSetUri, webClient(sslBundle, ssl), validators);
    }

    private static WebClient webClient(String sslBundle, SslBundles ssl) {
        if (sslBundle == null || sslBundle.isBlank()) {
            return WebClient.create();
        }
        try {
            var context = SslContextBuilder.forClient()
                    .trustManager(ssl.getBundle(sslBundle).getManagers().getTrustManagerFactory()).build();
            return WebClient.builder().clientConnector(new ReactorClientHttpConnector(
                    HttpClient.create().secure(spec -> spec.sslContext(context)))).build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build TLS for SSL bundle " + sslBundle, e);
        }
    }

    private static OAuth2TokenValidator<Jwt> role(String role) {
        return new JwtClaimValidator<Collection<String>>("roles", roles -> roles != null && roles.contains(role));
    }
}
