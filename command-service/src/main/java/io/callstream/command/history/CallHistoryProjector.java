package io.callstream.command.history;

import io.callstream.command.calls.CallProjection;
import io.callstream.command.calls.CallRepository;
import io.callstream.command.calls.CallState;
import io.callstream.command.calls.Participant;
import io.callstream.command.calls.ParticipantProjection;
import io.callstream.command.commands.CommandLifecycle;
import io.callstream.events.acs.AcsEvent.AddParticipantFailed;
import io.callstream.events.acs.AcsEvent.AddParticipantSucceeded;
import io.callstream.events.acs.AcsEvent.CancelAddParticipantSucceeded;
import io.callstream.events.acs.AcsEvent.MoveParticipantSucceeded;
import io.callstream.events.acs.AcsEvent.RemoveParticipantSucceeded;
import io.callstream.events.acs.AcsEvent.CallConnectionEvent;
import io.callstream.events.acs.AcsEvent.CallTransferFailed;
import io.callstream.events.acs.AcsEvent.ContinuousDtmfRecognitionToneReceived;
import io.callstream.events.acs.AcsEvent.RecognizeCompleted;
import io.callstream.events.acs.AcsEvent.MediaStreamingFailed;
import io.callstream.events.acs.AcsEvent.MediaStreamingStarted;
import io.callstream.events.acs.AcsEvent.MediaStreamingStopped;
import io.callstream.events.acs.AcsEvent.TranscriptionFailed;
import io.callstream.events.acs.AcsEvent.TranscriptionStarted;
import io.callstream.events.acs.AcsEvent.TranscriptionStopped;
import io.callstream.events.acs.AcsEvent.TranscriptionUpdated;
import io.callstream.events.acs.AcsEvent.RecordingFileStatusUpdated;
import io.callstream.events.acs.AcsEvent.RecordingStateChanged;
import io.callstream.command.recordings.RecordingRepository;
import io.callstream.events.acs.AcsEvent.CancelAddParticipantFailed;
import io.callstream.events.acs.AcsEvent.MoveParticipantFailed;
import io.callstream.events.acs.AcsEvent.RemoveParticipantFailed;
import io.callstream.events.acs.AcsEvent.CallDisconnected;
import io.callstream.events.acs.AcsEvent.EventGridEvent;
import io.callstream.events.acs.AcsEvent.MediaEvent;
import io.callstream.events.acs.AcsEvent.ParticipantOperationEvent;
import io.callstream.events.acs.AcsEvent.ParticipantsUpdated;
import io.callstream.events.acs.AcsEvent.RecordingEvent;
import io.callstream.events.acs.AcsEvent.UnknownEvent;
import io.callstream.events.commands.CommandResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Projects ACS events into {@code call_events}, {@code calls}, {@code participants} and the
 * command lifecycle. Runs inside the caller's transaction: a batch is applied whole or not at all.
 * The batch's events are stored first, in one JDBC batch; a duplicate stops there, so
 * redelivery changes nothing. The others are folded into calls, participants and commands in order.
 */
@Component
public class CallHistoryProjector {

    private static final Logger log = LoggerFactory.getLogger(CallHistoryProjector.class);

    private final EventLog eventLog;
    private final CallRepository calls;
    private final CommandLifecycle commands;
    private final RecordingRepository recordings;

    CallHistoryProjector(EventLog eventLog, CallRepository calls, CommandLifecycle commands, RecordingRepository recordings) {
        this.eventLog = eventLog;
        this.calls = calls;
        this.commands = commands;
        this.recordings = recordings;
    }

    /**
     * Applies a batch in order.
     *
     * @return the command results the batch caused (completed or failed), to publish
     */
    public List<CommandResult> project(List<ReceivedEvent> batch) {
        List<CommandResult> results = new ArrayList<>();
        boolean[] fresh = eventLog.append(batch);
        List<ReceivedEvent> applied = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            if (fresh[i]) {
                applied.add(batch.get(i));
            } else {
                log.debug("duplicate event {} {} from {}", batch.get(i).type(), batch.get(i).id(), batch.get(i).source());
            }
        }
        Legs legs = new Legs(applied);
        Rows rows = new Rows();
        CommandLifecycle.Correlator correlator = commands.correlator(applied);
        for (ReceivedEvent received : applied) {
            Instant at = received.timeOr(Instant.now());
            String leg = received.event().ids().callConnectionId();
            switch (received.event()) {
                case CallConnectionEvent e when leg != null -> {
                    legs.update(CallProjection.evolve(legs.state(leg), e, at));
                    if (e instanceof CallTransferFailed) {
                        legs.failed(new CallRepository.Failure(leg, "CallTransferFailed", e.resultInformation(), at));
                    }
                    if (e instanceof CallDisconnected) {
                        legs.participants(leg, ParticipantProjection.legEnded(legs.participants(leg), at));
                    }
                }
                case ParticipantsUpdated e when leg != null -> {
                    CallState state = legs.state(leg);
                    if (CallProjection.isNewer(state, e)) {
                        legs.participants(leg, ParticipantProjection.evolve(legs.participants(leg), e, at));
                        legs.update(CallProjection.sequenced(state, e));
                    } else {
                        log.debug("stale ParticipantsUpdated {} for {} (applied {})", e.sequenceNumber(), leg, state.participantsSequence());
                    }
                }
                case CallConnectionEvent e -> log.warn("{} {} names no callConnectionId; stored only", received.type(), received.id());
                case ParticipantsUpdated e -> log.warn("{} {} names no callConnectionId; stored only", received.type(), received.id());
                case RecordingFileStatusUpdated e -> recordingIdOf(received.subject()).ifPresent(id ->
                        recordings.filesReady(id, e.recordingDurationMs(), e.sessionEndReason(), e.contentLocations(), at));
                case EventGridEvent e -> { }
                case ParticipantOperationEvent e when leg != null && failureOf(e) != null ->
                        legs.failed(new CallRepository.Failure(leg, failureOf(e), e.resultInformation(), at));
                case ParticipantOperationEvent e -> { }
                case ContinuousDtmfRecognitionToneReceived e when leg != null && e.sequenceId() != null && e.tone() != null ->
                        rows.tones.add(new CallRepository.Tone(leg, e.sequenceId(), e.tone(), at, received.id()));
                case RecognizeCompleted e -> rows.inputs.add(new CallRepository.Input(received.source(), received.id(), leg, e, at));
                case MediaEvent e when leg != null && mediaSession(e) != null -> legs.media(leg, mediaSession(e));
                case MediaEvent e -> { }
                case RecordingStateChanged e when e.recordingId() != null && e.state() != null -> rows.recordingStates.add(
                        new RecordingRepository.StateChange(e.recordingId(), e.ids().serverCallId(), leg, e.state(), at));
                case RecordingEvent e -> { }
                case UnknownEvent e -> log.info("stored event of unlisted type {} ({})", received.type(), received.id());
            }
            results.addAll(correlator.correlate(received));
        }
        legs.write();
        rows.write();
        return results;
    }

    /** The name a failed participant operation records as the leg's last failure, or {@code null} for a success. */
    private static String failureOf(ParticipantOperationEvent event) {
        return switch (event) {
            case AddParticipantFailed f -> "AddParticipantFailed";
            case RemoveParticipantFailed f -> "RemoveParticipantFailed";
            case CancelAddParticipantFailed f -> "CancelAddParticipantFailed";
            case MoveParticipantFailed f -> "MoveParticipantFailed";
            case AddParticipantSucceeded s -> null;
            case CancelAddParticipantSucceeded s -> null;
            case RemoveParticipantSucceeded s -> null;
            case MoveParticipantSucceeded s -> null;
        };
    }

    /** A media session's state as an event sets it on its leg. */
    private record MediaSession(boolean transcription, String state) {
    }

    /** The media session state an event sets on its leg, or {@code null} if it sets none. */
    private static MediaSession mediaSession(MediaEvent event) {
        return switch (event) {
            case MediaStreamingStarted e -> new MediaSession(false, "started");
            case MediaStreamingStopped e -> new MediaSession(false, "stopped");
            case MediaStreamingFailed e -> new MediaSession(false, "failed");
            case TranscriptionStarted e -> new MediaSession(true, "started");
            case TranscriptionUpdated e -> new MediaSession(true, "started");
            case TranscriptionStopped e -> new MediaSession(true, "stopped");
            case TranscriptionFailed e -> new MediaSession(true, "failed");
            default -> null;
        };
    }

    /**
     * The batch's rows of other tables, kept in event order and written after its legs, one JDBC
     * batch per statement: tones, recognized inputs and recording states. No later event of the
     * batch reads them, so writing them at the end gives the rows that writing them as they came would.
     */
    private final class Rows {
        final List<CallRepository.Tone> tones = new ArrayList<>();
        final List<CallRepository.Input> inputs = new ArrayList<>();
        final List<RecordingRepository.StateChange> recordingStates = new ArrayList<>();

        void write() {
            calls.recordTones(tones);
            calls.recordInputs(inputs);
            recordings.stateChanged(recordingStates);
        }
    }

    /**
     * The legs one batch touches: their rows are locked and read, with their participants, in a
     * few statements for the whole batch, in one sorted order; folded in memory event by event,
     * with their media sessions and newest failure; and written once at the end of the batch, in
     * its transaction: the legs' rows in one statement ({@link CallRepository#save(java.util.Collection)}),
     * their participants in one JDBC batch. Per event that saves the four or more round trips to
     * PostgreSQL a leg's lock, read and writes took, and per leg the statement each column written
     * on its own took ({@code make bench}).
     */
    private final class Legs {
        private final Map<String, CallState> states;
        private final Set<String> changed = new LinkedHashSet<>();
        private final Map<String, String> mediaStreaming = new HashMap<>();
        private final Map<String, String> transcription = new HashMap<>();
        private final Map<String, CallRepository.Failure> failures = new HashMap<>();
        private final Map<String, Map<String, Participant>> loaded;
        private final Map<String, Map<String, Participant>> folded = new LinkedHashMap<>();

        Legs(List<ReceivedEvent> events) {
            Set<String> stateful = new HashSet<>();
            Set<String> withParticipants = new HashSet<>();
            for (ReceivedEvent received : events) {
                String leg = received.event().ids().callConnectionId();
                if (leg == null) {
                    continue;
                }
                if (received.event() instanceof CallConnectionEvent || received.event() instanceof ParticipantsUpdated
                        || received.event() instanceof ParticipantOperationEvent operation && failureOf(operation) != null
                        || received.event() instanceof MediaEvent media && mediaSession(media) != null) {
                    stateful.add(leg);
                }
                if (received.event() instanceof CallDisconnected || received.event() instanceof ParticipantsUpdated) {
                    withParticipants.add(leg);
                }
            }
            states = new HashMap<>(calls.lock(stateful));
            loaded = new HashMap<>(calls.participants(withParticipants));
        }

        CallState state(String leg) {
            return states.computeIfAbsent(leg, calls::lock);
        }

        void update(CallState state) {
            states.put(state.callConnectionId(), state);
            changed.add(state.callConnectionId());
        }

        /** The leg's media streaming or transcription state, as this event sets it: the batch's last one wins. */
        void media(String leg, MediaSession session) {
            state(leg);
            (session.transcription() ? transcription : mediaStreaming).put(leg, session.state());
            changed.add(leg);
        }

        /** A mid-call failure: the batch keeps the leg's newest by event time, of equal times the later. */
        void failed(CallRepository.Failure failure) {
            state(failure.callConnectionId());
            failures.merge(failure.callConnectionId(), failure, (kept, next) -> kept.at().isAfter(next.at()) ? kept : next);
            changed.add(failure.callConnectionId());
        }

        Map<String, Participant> participants(String leg) {
            return folded.computeIfAbsent(leg, l -> new LinkedHashMap<>(loaded.computeIfAbsent(l, calls::participants)));
        }

        void participants(String leg, Map<String, Participant> after) {
            participants(leg);
            folded.put(leg, after);
        }

        void write() {
            calls.saveParticipants(loaded, folded);
            calls.save(changed.stream().map(leg -> new CallRepository.LegRow(states.get(leg), mediaStreaming.get(leg),
                    transcription.get(leg), failures.get(leg))).toList());
        }
    }

    /** A RecordingFileStatusUpdated names its recording only in its subject: {@code …/recordingId/{recordingId}}. */
    static java.util.Optional<String> recordingIdOf(String subject) {
        if (subject == null) {
            return java.util.Optional.empty();
        }
        int at = subject.lastIndexOf("/recordingId/");
        return at < 0 ? java.util.Optional.empty() : java.util.Optional.of(subject.substring(at + "/recordingId/".length()));
    }

}
