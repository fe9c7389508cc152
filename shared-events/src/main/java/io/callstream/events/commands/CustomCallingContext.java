package io.callstream.events.commands;

import java.util.Map;

/**
 * Custom calling context sent with a transfer or an invitation (REST 2025-05-15
 * {@code CustomCallingContext}): headers for a VoIP target, or SIP headers for a PSTN target,
 * where {@code User-To-User} carries SIP UUI and custom headers start with {@code X-MS-Custom-}.
 *
 * @param voipHeaders header name to value, for VoIP targets
 * @param sipHeaders header name to value, for PSTN targets
 */
public record CustomCallingContext(Map<String, String> voipHeaders, Map<String, String> sipHeaders) {
}
