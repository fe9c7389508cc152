package io.callstream.command.acs;

/**
 * A recording ACS started ({@code RecordingStateResponse}).
 *
 * @param recordingId ACS's recording id
 * @param state {@code active} or {@code inactive}
 */
public record AcsRecording(String recordingId, String state) {
}
