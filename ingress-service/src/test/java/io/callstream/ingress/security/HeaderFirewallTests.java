package io.callstream.ingress.security;

import org.junit.jupiter.api.Test;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HeaderFirewallTests {

    @Test
    void everyCodePointIsJudgedAsSpringSecuritysPatternsJudgeIt() {
        int differences = 0;
        for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
            String text = "a" + new String(Character.toChars(codePoint)) + "b";
            if (HeaderFirewall.allowedName(text) != StrictServerWebExchangeFirewall.ALLOWED_HEADER_NAMES.test(text)
                    || HeaderFirewall.allowedValue(text) != StrictServerWebExchangeFirewall.ALLOWED_HEADER_VALUES.test(text)) {
                differences++;
            }
        }
        assertThat(differences).isZero();
    }

    @Test
    void surrogatesTabsControlsAndLongValuesAreJudgedAsSpringSecurityJudgesThem() {
        List<String> texts = List.of("", "Authorization", "Bearer " + "eyJ0eXAiOiJKV1QifQ".repeat(40), "a\tb", "\t", "a\u0000b", "a\u007fb",
                "a\u0085b", "\uD83D\uDE00", "\uD83D", "\uDE00", "x\uDE00\uD83D", "\uD83Dx", "\uFFFF", "\u0378", "caf\u00e9", "\u2028");
        for (String text : texts) {
            assertThat(HeaderFirewall.allowedName(text)).as("name %s", text)
                    .isEqualTo(StrictServerWebExchangeFirewall.ALLOWED_HEADER_NAMES.test(text));
            assertThat(HeaderFirewall.allowedValue(text)).as("value %s", text)
                    .isEqualTo(StrictServerWebExchangeFirewall.ALLOWED_HEADER_VALUES.test(text));
        }
        assertThat(HeaderFirewall.allowedValue("a\tb")).isTrue();
        assertThat(HeaderFirewall.allowedName("a\tb")).isFalse();
        assertThat(HeaderFirewall.allowedValue("a\u0000b")).isFalse();
        assertThat(HeaderFirewall.allowedName(null)).isTrue();
        assertThat(HeaderFirewall.allowedValue(null)).isTrue();
    }
}
