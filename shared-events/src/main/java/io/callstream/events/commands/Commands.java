package io.callstream.events.commands;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.callstream.events.commands.CallCommand.AddParticipant;
import io.callstream.events.commands.CallCommand.AnswerCall;
import io.callstream.events.commands.CallCommand.CancelAddParticipant;
import io.callstream.events.commands.CallCommand.ConnectCall;
import io.callstream.events.commands.CallCommand.MoveParticipants;
import io.callstream.events.commands.CallCommand.SyncCall;
import io.callstream.events.commands.CallCommand.Play;
import io.callstream.events.commands.CallCommand.CancelAllMediaOperations;
import io.callstream.events.commands.CallCommand.MuteParticipant;
import io.callstream.events.commands.CallCommand.Hold;
import io.callstream.events.commands.CallCommand.Unhold;
import io.callstream.events.commands.CallCommand.SendDtmfTones;
import io.callstream.events.commands.CallCommand.StartContinuousDtmfRecognition;
import io.callstream.events.commands.CallCommand.StopContinuousDtmfRecognition;
import io.callstream.events.commands.CallCommand.Recognize;
import io.callstream.events.commands.CallCommand.StartRecording;
import io.callstream.events.commands.CallCommand.PauseRecording;
import io.callstream.events.commands.CallCommand.ResumeRecording;
import io.callstream.events.commands.CallCommand.StopRecording;
import io.callstream.events.commands.CallCommand.StartMediaStreaming;
import io.callstream.events.commands.CallCommand.StopMediaStreaming;
import io.callstream.events.commands.CallCommand.StartTranscription;
import io.callstream.events.commands.CallCommand.UpdateTranscription;
import io.callstream.events.commands.CallCommand.StopTranscription;
import io.callstream.events.commands.CallCommand.TransferCall;
import io.callstream.events.commands.CallCommand.RedirectCall;
import io.callstream.events.commands.CallCommand.RejectCall;
import io.callstream.events.commands.CallCommand.RemoveParticipant;
import io.callstream.events.commands.CallCommand.CreateCall;
import io.callstream.events.commands.CallCommand.HangUp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The wire format of {@link CallCommand}s and {@link CommandResult}s: JSON, one object per Kafka
 * record, with the command's wire name in {@code type}. Every command is checked against its JSON
 * Schema (draft 2020-12) before it is turned into a record, so that a bad command is rejected with
 * the schema's own words instead of failing later.
 */
public final class Commands {

    /** Wire name to record class; the only place the names are mapped. */
    public static final Map<String, Class<? extends CallCommand>> TYPES;

    private static final Map<String, JsonSchema> SCHEMAS = new LinkedHashMap<>();
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    static {
        Map<String, Class<? extends CallCommand>> types = new LinkedHashMap<>();
        types.put("CreateCall", CreateCall.class);
        types.put("AnswerCall", AnswerCall.class);
        types.put("RejectCall", RejectCall.class);
        types.put("RedirectCall", RedirectCall.class);
        types.put("ConnectCall", ConnectCall.class);
        types.put("TransferCall", TransferCall.class);
        types.put("AddParticipant", AddParticipant.class);
        types.put("CancelAddParticipant", CancelAddParticipant.class);
        types.put("MoveParticipants", MoveParticipants.class);
        types.put("RemoveParticipant", RemoveParticipant.class);
        types.put("HangUp", HangUp.class);
        types.put("SyncCall", SyncCall.class);
        types.put("Play", Play.class);
        types.put("CancelAllMediaOperations", CancelAllMediaOperations.class);
        types.put("MuteParticipant", MuteParticipant.class);
        types.put("Hold", Hold.class);
        types.put("Unhold", Unhold.class);
        types.put("SendDtmfTones", SendDtmfTones.class);
        types.put("StartContinuousDtmfRecognition", StartContinuousDtmfRecognition.class);
        types.put("StopContinuousDtmfRecognition", StopContinuousDtmfRecognition.class);
        types.put("Recognize", Recognize.class);
        types.put("StartRecording", StartRecording.class);
        types.put("PauseRecording", PauseRecording.class);
        types.put("ResumeRecording", ResumeRecording.class);
        types.put("StopRecording", StopRecording.class);
        types.put("StartMediaStreaming", StartMediaStreaming.class);
        types.put("StopMediaStreaming", StopMediaStreaming.class);
        types.put("StartTranscription", StartTranscription.class);
        types.put("UpdateTranscription", UpdateTranscription.class);
        types.put("StopTranscription", StopTranscription.class);
        TYPES = java.util.Collections.unmodifiableMap(types);
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        for (String type : TYPES.keySet()) {
            try (InputStream in = Commands.class.getResourceAsStream(type + ".schema.json")) {
                if (in == null) {
                    throw new IllegalStateException("missing JSON schema for command " + type);
                }
                SCHEMAS.put(type, factory.getSchema(in));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private Commands() {
    }

    /** The outcome of reading one record from {@code calls.commands}. */
    public sealed interface Parsed permits Valid, Invalid {
    }

    /** A command that passed its schema. */
    public record Valid(CallCommand command) implements Parsed {
    }

    /**
     * Input that is not a valid command.
     *
     * @param commandId the {@code commandId} member if one could be read, else {@code null}
     * @param commandType the {@code type} member if one could be read, else {@code null}
     * @param reason what is wrong, in words (the JSON Schema's messages, or the parse error)
     * @param json whether the record is JSON at all (so it can be kept as jsonb)
     */
    public record Invalid(String commandId, String commandType, String reason, boolean json) implements Parsed {
    }

    /**
     * Reads and validates one command.
     *
     * @param json the record value, UTF-8 JSON; {@code null} is invalid
     * @return {@link Valid} or {@link Invalid}; never throws for bad input
     */
    public static Parsed parse(byte[] json) {
        if (json == null || json.length == 0) {
            return new Invalid(null, null, "empty record: a command is a JSON object", false);
        }
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return new Invalid(null, null, "not JSON: " + e.getOriginalMessage(), false);
        } catch (IOException e) {
            return new Invalid(null, null, "not JSON: " + e.getMessage(), false);
        }
        if (node == null || !node.isObject()) {
            return new Invalid(null, null, "a command is a JSON object", true);
        }
        String commandId = node.path("commandId").isTextual() ? node.get("commandId").asText() : null;
        String type = node.path("type").isTextual() ? node.get("type").asText() : null;
        JsonSchema schema = type == null ? null : SCHEMAS.get(type);
        if (schema == null) {
            return new Invalid(commandId, type, "unknown command type " + (type == null ? "(none)" : "'" + type + "'")
                    + "; expected one of " + TYPES.keySet(), true);
        }
        Set<ValidationMessage> errors = schema.validate(node);
        if (!errors.isEmpty()) {
            return new Invalid(commandId, type, errors.stream().map(ValidationMessage::getMessage).sorted()
                    .collect(Collectors.joining("; ")), true);
        }
        try {
            return new Valid(JSON.treeToValue(node, TYPES.get(type)));
        } catch (JsonProcessingException e) {
            return new Invalid(commandId, type, "does not map to " + type + ": " + e.getOriginalMessage(), true);
        }
    }

    /** The wire name of a command. */
    public static String typeOf(CallCommand command) {
        return switch (command) {
            case CreateCall c -> "CreateCall";
            case AnswerCall c -> "AnswerCall";
            case RejectCall c -> "RejectCall";
            case RedirectCall c -> "RedirectCall";
            case ConnectCall c -> "ConnectCall";
            case TransferCall c -> "TransferCall";
            case AddParticipant c -> "AddParticipant";
            case CancelAddParticipant c -> "CancelAddParticipant";
            case MoveParticipants c -> "MoveParticipants";
            case RemoveParticipant c -> "RemoveParticipant";
            case HangUp c -> "HangUp";
            case SyncCall c -> "SyncCall";
            case Play c -> "Play";
            case CancelAllMediaOperations c -> "CancelAllMediaOperations";
            case MuteParticipant c -> "MuteParticipant";
            case Hold c -> "Hold";
            case Unhold c -> "Unhold";
            case SendDtmfTones c -> "SendDtmfTones";
            case StartContinuousDtmfRecognition c -> "StartContinuousDtmfRecognition";
            case StopContinuousDtmfRecognition c -> "StopContinuousDtmfRecognition";
            case Recognize c -> "Recognize";
            case StartRecording c -> "StartRecording";
            case PauseRecording c -> "PauseRecording";
            case ResumeRecording c -> "ResumeRecording";
            case StopRecording c -> "StopRecording";
            case StartMediaStreaming c -> "StartMediaStreaming";
            case StopMediaStreaming c -> "StopMediaStreaming";
            case StartTranscription c -> "StartTranscription";
            case UpdateTranscription c -> "UpdateTranscription";
            case StopTranscription c -> "StopTranscription";
        };
    }

    /** A command as its wire JSON (UTF-8), with {@code type} first. */
    public static byte[] toJson(CallCommand command) {
        ObjectNode node = JSON.createObjectNode().put("type", typeOf(command));
        node.setAll((ObjectNode) JSON.valueToTree(command));
        return write(node);
    }

    /** A result as its wire JSON (UTF-8). */
    public static byte[] toJson(CommandResult result) {
        return write(result);
    }

    /**
     * Reads a result from its wire JSON.
     *
     * @throws IllegalArgumentException when the bytes are not a result
     */
    public static CommandResult readResult(byte[] json) {
        try {
            return JSON.readValue(json, CommandResult.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a command result: " + e.getMessage(), e);
        }
    }

    private static byte[] write(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
