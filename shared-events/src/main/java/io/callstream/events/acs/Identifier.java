package io.callstream.events.acs;

/**
 * A communication identifier as ACS writes it ({@code CommunicationIdentifierModel}), reduced to
 * its raw id and kind. Raw ids look like {@code 8:acs:<resource>_<user>} for ACS users and
 * {@code 4:+14255550123} for phone numbers.
 *
 * @param rawId the identifier's raw id; never {@code null}
 * @param kind {@code communicationUser}, {@code phoneNumber}, {@code microsoftTeamsUser}, … or
 *     {@code null} when the payload does not say
 */
public record Identifier(String rawId, String kind) {
}
