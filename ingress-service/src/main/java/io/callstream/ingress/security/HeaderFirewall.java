package io.callstream.ingress.security;

import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;

/**
 * Spring Security's {@link StrictServerWebExchangeFirewall}, with its default rules, except that
 * header names and values are checked by code point rather than by its regular expressions. The
 * rules are the same:
 * <ul>
 *   <li>a header name: every code point assigned in Unicode and not a control character
 *   ({@code [\p{IsAssigned}&&[^\p{IsControl}]]*});</li>
 *   <li>a header value: the same, except that a tab is allowed
 *   ({@code [\p{IsAssigned}&&[[^\p{IsControl}]||\t]]*}).</li>
 * </ul>
 * A rejected header is answered 400, as by the default firewall. The firewall checks each header
 * as it is read, and a callback's {@code Authorization} header carries a JWT of about 600
 * characters: its pattern took about 3% of ingress's CPU per callback under load
 * ({@code make bench}). {@code HeaderFirewallTests} compares both rules with Spring's over every
 * code point.
 */
final class HeaderFirewall {

    private HeaderFirewall() {
    }

    /** The firewall for {@code WebFilterChainProxy}, which takes a {@link ServerWebExchangeFirewall} bean. */
    static ServerWebExchangeFirewall create() {
        StrictServerWebExchangeFirewall firewall = new StrictServerWebExchangeFirewall();
        firewall.setAllowedHeaderNames(HeaderFirewall::allowedName);
        firewall.setAllowedHeaderValues(HeaderFirewall::allowedValue);
        return firewall;
    }

    /** Whether a header name passes: null, or only assigned code points that are not control characters. */
    static boolean allowedName(String name) {
        return allowed(name, false);
    }

    /** Whether a header value passes: null, or only assigned code points that are not control characters but tab. */
    static boolean allowedValue(String value) {
        return allowed(value, true);
    }

    private static boolean allowed(String text, boolean tab) {
        if (text == null) {
            return true;
        }
        for (int i = 0; i < text.length(); ) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                i++;
                continue;
            }
            int codePoint = text.codePointAt(i);
            int type = Character.getType(codePoint);
            if (type == Character.UNASSIGNED || type == Character.CONTROL && !(tab && codePoint == '\t')) {
                return false;
            }
            i += Character.charCount(codePoint);
        }
        return true;
    }
}
