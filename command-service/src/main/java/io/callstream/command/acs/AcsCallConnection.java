package io.callstream.command.acs;

/**
 * The ids ACS returns for a call connection ({@code CallConnectionProperties}).
 *
 * @param callConnectionId the application's leg
 * @param serverCallId the call's server id
 * @param correlationId the call's correlation id (may be {@code null} on api-version 2023-03-06)
 */
public record AcsCallConnection(String callConnectionId, String serverCallId, String correlationId) {
}
