package io.callstream.command.acs;

import com.azure.communication.callautomation.CallAutomationClient;
import com.azure.communication.callautomation.CallAutomationClientBuilder;
import com.azure.communication.callautomation.implementation.models.CommunicationErrorResponseException;
import com.azure.communication.callautomation.models.AnswerCallOptions;
import com.azure.communication.callautomation.models.CallConnectionProperties;
import com.azure.communication.callautomation.models.CallInvite;
import com.azure.communication.callautomation.models.CreateCallOptions;
import com.azure.communication.callautomation.models.CreateGroupCallOptions;
import com.azure.communication.common.CommunicationIdentifier;
import com.azure.communication.common.CommunicationUserIdentifier;
import com.azure.communication.common.PhoneNumberIdentifier;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import io.callstream.command.system.CommandServiceProperties;
import com.azure.communication.callautomation.models.CallRejectReason;
import com.azure.communication.callautomation.models.RedirectCallOptions;
import com.azure.communication.callautomation.models.RejectCallOptions;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callstream.events.commands.CallCommand.AddParticipant;
import io.callstream.events.commands.CallCommand.AnswerCall;
import io.callstream.events.commands.CallCommand.Hold;
import io.callstream.events.commands.CallCommand.MuteParticipant;
import io.callstream.events.commands.CallCommand.Play;
import io.callstream.events.commands.CallCommand.Recognize;
import io.callstream.events.commands.CallCommand.StartRecording;
import io.callstream.events.commands.CallCommand.StartMediaStreaming;
import io.callstream.events.commands.CallCommand.StopMediaStreaming;
import io.callstream.events.commands.CallCommand.StartTranscription;
import io.callstream.events.commands.CallCommand.UpdateTranscription;
import io.callstream.events.commands.CallCommand.StopTranscription;
import io.callstream.events.commands.CallCommand.SendDtmfTones;
import io.callstream.events.commands.CallCommand.StartContinuousDtmfRecognition;
import io.callstream.events.commands.CallCommand.StopContinuousDtmfRecognition;
import io.callstream.events.commands.CallCommand.Unhold;
import io.callstream.events.commands.PlaySource;
import io.callstream.events.commands.CallCommand.ConnectCall;
import io.callstream.events.commands.CallCommand.MoveParticipants;
import io.callstream.events.commands.CallCommand.TransferCall;
import io.callstream.events.commands.CustomCallingContext;
import com.fasterxml.jackson.databind.JsonNode;
import io.callstream.events.commands.CallCommand.CreateCall;
import io.callstream.events.commands.CallCommand.HangUp;
import io.callstream.events.commands.CallCommand.RedirectCall;
import io.callstream.events.commands.CallCommand.RejectCall;
import io.callstream.events.commands.CallCommand.RemoveParticipant;
import io.callstream.events.commands.CallTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * {@link AcsGateway} on {@code azure-communication-callautomation} 1.0.4 (api-version 2023-03-06),
 * over the JDK's HTTP client, and on {@link AcsRest} (api-version 2025-05-15, the same pipeline
 * policies) for the participant operations whose 2025 fields the SDK lacks (invitationId,
 * operationCallbackUri). When an SSL bundle is configured (the emulator's self-signed
 * certificate locally) the client trusts it; otherwise the JDK's default trust applies.
 */
@Component
class SdkAcsGateway implements AcsGateway {

    private static final Logger log = LoggerFactory.getLogger(SdkAcsGateway.class);

    private final CallAutomationClient client;
    private final AcsRest rest;
    private final String callbackUri;

    SdkAcsGateway(CommandServiceProperties properties, SslBundles sslBundles) {
        CommandServiceProperties.Acs acs = properties.acs();
        java.net.http.HttpClient.Builder jdk = java.net.http.HttpClient.newBuilder();
        if (acs.sslBundle() != null && !acs.sslBundle().isBlank()) {
            jdk.sslContext(sslBundles.getBundle(acs.sslBundle()).createSslContext());
        }
        HttpClient http = new JdkHttpClientBuilder(jdk)
                .connectionTimeout(java.time.Duration.ofSeconds(10))
                .responseTimeout(acs.requestTimeout())
                .build();
        this.client = new CallAutomationClientBuilder()
                .connectionString(acs.connectionString())
                .httpClient(http)
                .retryPolicy(retryPolicy(acs.retry()))
                .addPolicy(new RepeatabilityPolicy())
                .buildClient();
        this.rest = new AcsRest(acs.connectionString(), http, retryPolicy(acs.retry()), acs.worstCase());
        this.callbackUri = acs.callbackUri().toString();
    }

    @Override
    public AcsCallConnection createCall(CreateCall command) {
        return call(() -> {
            List<CallTarget> targets = command.targets();
            PhoneNumberIdentifier callerId = command.sourceCallerIdNumber() == null
                    ? null : new PhoneNumberIdentifier(command.sourceCallerIdNumber());
            CallConnectionProperties created;
            if (targets.size() == 1) {
                CallTarget target = targets.getFirst();
                CallInvite invite = target.isPhoneNumber()
                        ? new CallInvite(new PhoneNumberIdentifier(target.phoneNumber()), callerId)
                        : new CallInvite(new CommunicationUserIdentifier(target.communicationUserId()));
                if (command.sourceDisplayName() != null) {
                    invite.setSourceDisplayName(command.sourceDisplayName());
                }
                created = client.createCallWithResponse(new CreateCallOptions(invite, callbackUri)
                        .setOperationContext(command.commandId()), Repeatability.context()).getValue().getCallConnectionProperties();
            } else {
                List<CommunicationIdentifier> identifiers = targets.stream().map(SdkAcsGateway::identifier).toList();
                CreateGroupCallOptions options = new CreateGroupCallOptions(identifiers, callbackUri)
                        .setOperationContext(command.commandId())
                        .setSourceDisplayName(command.sourceDisplayName())
                        .setSourceCallIdNumber(callerId);
                created = client.createGroupCallWithResponse(options, Repeatability.context()).getValue().getCallConnectionProperties();
            }
            return ids(created);
        });
    }

    @Override
    public AcsCallConnection answerCall(AnswerCall command) {
        return call(() -> ids(client.answerCallWithResponse(
                new AnswerCallOptions(command.incomingCallContext(), callbackUri).setOperationContext(command.commandId()),
                Repeatability.context()).getValue().getCallConnectionProperties()));
    }

    @Override
    public void hangUp(HangUp command) {
        call(() -> client.getCallConnection(command.callConnectionId())
                .hangUpWithResponse(command.forEveryone(), Repeatability.context()));
    }

    @Override
    public void rejectCall(RejectCall command) {
        RejectCallOptions options = new RejectCallOptions(command.incomingCallContext());
        if (command.callRejectReason() != null) {
            options.setCallRejectReason(CallRejectReason.fromString(command.callRejectReason()));
        }
        call(() -> client.rejectCallWithResponse(options, Repeatability.context()));
    }

    @Override
    public void redirectCall(RedirectCall command) {
        CallTarget target = command.target();
        CallInvite invite = target.isPhoneNumber()
                ? new CallInvite(new PhoneNumberIdentifier(target.phoneNumber()), new PhoneNumberIdentifier(command.sourceCallerIdNumber()))
                : new CallInvite(new CommunicationUserIdentifier(target.communicationUserId()));
        call(() -> client.redirectCallWithResponse(new RedirectCallOptions(command.incomingCallContext(), invite), Repeatability.context()));
    }

    @Override
    public String addParticipant(AddParticipant command) {
        ObjectNode body = AcsRest.body();
        body.set("participantToAdd", identifierModel(command.participant()));
        if (command.sourceCallerIdNumber() != null) {
            body.putObject("sourceCallerIdNumber").put("value", command.sourceCallerIdNumber());
        }
        if (command.sourceDisplayName() != null) {
            body.put("sourceDisplayName", command.sourceDisplayName());
        }
        if (command.invitationTimeoutInSeconds() != null) {
            body.put("invitationTimeoutInSeconds", command.invitationTimeoutInSeconds());
        }
        customCallingContext(body, command.customCallingContext());
        body.put("operationContext", command.commandId());
        if (command.operationCallbackUri() != null) {
            body.put("operationCallbackUri", command.operationCallbackUri());
        }
        return rest.post(connection(command.callConnectionId()) + "/participants:add", body).path("invitationId").asText(null);
    }

    @Override
    public void cancelAddParticipant(String callConnectionId, String invitationId, String commandId, String operationCallbackUri) {
        ObjectNode body = AcsRest.body().put("invitationId", invitationId).put("operationContext", commandId);
        if (operationCallbackUri != null) {
            body.put("operationCallbackUri", operationCallbackUri);
        }
        rest.post(connection(callConnectionId) + "/participants:cancelAddParticipant", body);
    }

    @Override
    public void removeParticipant(RemoveParticipant command) {
        ObjectNode body = AcsRest.body();
        body.set("participantToRemove", identifierModel(command.participant()));
        body.put("operationContext", command.commandId());
        if (command.operationCallbackUri() != null) {
            body.put("operationCallbackUri", command.operationCallbackUri());
        }
        rest.post(connection(command.callConnectionId()) + "/participants:remove", body);
    }

    @Override
    public AcsCallConnection connectCall(ConnectCall command) {
        ObjectNode locator = AcsRest.body();
        if (command.serverCallId() != null) {
            locator.put("kind", "serverCallLocator").put("serverCallId", command.serverCallId());
        } else if (command.groupCallId() != null) {
            locator.put("kind", "groupCallLocator").put("groupCallId", command.groupCallId());
        } else {
            locator.put("kind", "roomCallLocator").put("roomId", command.roomId());
        }
        ObjectNode body = AcsRest.body();
        body.set("callLocator", locator);
        body.put("callbackUri", callbackUri).put("operationContext", command.commandId());
        JsonNode properties = rest.post("/calling/callConnections:connect", body);
        return new AcsCallConnection(properties.path("callConnectionId").asText(null), properties.path("serverCallId").asText(null),
                properties.path("correlationId").asText(null));
    }

    @Override
    public void transferCall(TransferCall command) {
        ObjectNode body = AcsRest.body();
        body.set("targetParticipant", identifierModel(command.target()));
        if (command.transferee() != null) {
            body.set("transferee", identifierModel(command.transferee()));
        }
        if (command.sourceCallerIdNumber() != null) {
            body.putObject("sourceCallerIdNumber").put("value", command.sourceCallerIdNumber());
        }
        customCallingContext(body, command.customCallingContext());
        body.put("operationContext", command.commandId());
        if (command.operationCallbackUri() != null) {
            body.put("operationCallbackUri", command.operationCallbackUri());
        }
        rest.post(connection(command.callConnectionId()) + ":transferToParticipant", body);
    }

    @Override
    public void moveParticipants(MoveParticipants command) {
        ObjectNode body = AcsRest.body();
        var targets = body.putArray("targetParticipants");
        command.participants().forEach(p -> targets.add(identifierModel(p)));
        body.put("fromCall", command.fromCall()).put("operationContext", command.commandId());
        if (command.operationCallbackUri() != null) {
            body.put("operationCallbackUri", command.operationCallbackUri());
        }
        rest.post(connection(command.callConnectionId()) + "/participants:moveHere", body, AcsRest.PREVIEW_API_VERSION);
    }

    @Override
    public AcsCallSnapshot getCall(String callConnectionId) {
        JsonNode properties = rest.get(connection(callConnectionId));
        java.util.List<AcsCallSnapshot.Participant> participants = new java.util.ArrayList<>();
        for (JsonNode p : rest.get(connection(callConnectionId) + "/participants").path("value")) {
            JsonNode id = p.path("identifier");
            participants.add(new AcsCallSnapshot.Participant(id.path("rawId").asText(), id.path("kind").asText(null),
                    p.path("isMuted").asBoolean(false), p.path("isOnHold").asBoolean(false)));
        }
        return new AcsCallSnapshot(properties.path("callConnectionId").asText(callConnectionId), properties.path("serverCallId").asText(null),
                properties.path("correlationId").asText(null), properties.path("callConnectionState").asText(null), List.copyOf(participants));
    }

    @Override
    public void play(Play command) {
        ObjectNode body = AcsRest.body();
        var sources = body.putArray("playSources");
        command.playSources().forEach(source -> sources.add(playSource(source)));
        if (command.playTo() != null && !command.playTo().isEmpty()) {
            var playTo = body.putArray("playTo");
            command.playTo().forEach(target -> playTo.add(identifierModel(target)));
        }
        if (command.loop() != null) {
            body.putObject("playOptions").put("loop", command.loop());
        }
        if (command.interruptCallMediaOperation() != null) {
            body.put("interruptCallMediaOperation", command.interruptCallMediaOperation());
        }
        rest.post(connection(command.callConnectionId()) + ":play", operation(body, command.commandId(), command.operationCallbackUri()));
    }

    @Override
    public void cancelAllMediaOperations(String callConnectionId) {
        rest.post(connection(callConnectionId) + ":cancelAllMediaOperations", AcsRest.body());
    }

    @Override
    public void mute(MuteParticipant command) {
        ObjectNode body = AcsRest.body();
        body.putArray("targetParticipants").add(identifierModel(command.participant()));
        rest.post(connection(command.callConnectionId()) + "/participants:mute", operation(body, command.commandId(), null));
    }

    @Override
    public void hold(Hold command) {
        ObjectNode body = AcsRest.body();
        body.set("targetParticipant", identifierModel(command.participant()));
        if (command.playSource() != null) {
            body.set("playSourceInfo", playSource(command.playSource()));
        }
        rest.post(connection(command.callConnectionId()) + ":hold", operation(body, command.commandId(), command.operationCallbackUri()));
    }

    @Override
    public void unhold(Unhold command) {
        ObjectNode body = AcsRest.body();
        body.set("targetParticipant", identifierModel(command.participant()));
        rest.post(connection(command.callConnectionId()) + ":unhold", operation(body, command.commandId(), null));
    }

    @Override
    public void sendDtmfTones(SendDtmfTones command) {
        ObjectNode body = AcsRest.body();
        var tones = body.putArray("tones");
        command.tones().forEach(tones::add);
        body.set("targetParticipant", identifierModel(command.participant()));
        rest.post(connection(command.callConnectionId()) + ":sendDtmfTones", operation(body, command.commandId(), command.operationCallbackUri()));
    }

    @Override
    public void startContinuousDtmfRecognition(StartContinuousDtmfRecognition command) {
        ObjectNode body = AcsRest.body();
        body.set("targetParticipant", identifierModel(command.participant()));
        rest.post(connection(command.callConnectionId()) + ":startContinuousDtmfRecognition",
                operation(body, command.commandId(), command.operationCallbackUri()));
    }

    @Override
    public void stopContinuousDtmfRecognition(StopContinuousDtmfRecognition command) {
        ObjectNode body = AcsRest.body();
        body.set("targetParticipant", identifierModel(command.participant()));
        rest.post(connection(command.callConnectionId()) + ":stopContinuousDtmfRecognition",
                operation(body, command.commandId(), command.operationCallbackUri()));
    }

    @Override
    public void recognize(Recognize command) {
        ObjectNode body = AcsRest.body().put("recognizeInputType", command.recognizeInputType());
        if (command.prompts() != null && !command.prompts().isEmpty()) {
            var prompts = body.putArray("playPrompts");
            command.prompts().forEach(prompt -> prompts.add(playSource(prompt)));
        }
        ObjectNode options = body.putObject("recognizeOptions");
        options.set("targetParticipant", identifierModel(command.participant()));
        if (command.interruptPrompt() != null) {
            options.put("interruptPrompt", command.interruptPrompt());
        }
        if (command.initialSilenceTimeoutInSeconds() != null) {
            options.put("initialSilenceTimeoutInSeconds", command.initialSilenceTimeoutInSeconds());
        }
        if (command.speechLanguage() != null) {
            options.put("speechLanguage", command.speechLanguage());
        }
        if (command.dtmf() != null) {
            ObjectNode dtmf = options.putObject("dtmfOptions");
            if (command.dtmf().maxTonesToCollect() != null) {
                dtmf.put("maxTonesToCollect", command.dtmf().maxTonesToCollect());
            }
            if (command.dtmf().interToneTimeoutInSeconds() != null) {
                dtmf.put("interToneTimeoutInSeconds", command.dtmf().interToneTimeoutInSeconds());
            }
            if (command.dtmf().stopTones() != null) {
                command.dtmf().stopTones().forEach(dtmf.putArray("stopTones")::add);
            }
        }
        if (command.choices() != null) {
            var choices = options.putArray("choices");
            for (var choice : command.choices()) {
                ObjectNode node = choices.addObject().put("label", choice.label());
                choice.phrases().forEach(node.putArray("phrases")::add);
                if (choice.tone() != null) {
                    node.put("tone", choice.tone());
                }
            }
        }
        rest.post(connection(command.callConnectionId()) + ":recognize", operation(body, command.commandId(), command.operationCallbackUri()));
    }

    @Override
    public AcsRecording startRecording(StartRecording command) {
        ObjectNode body = AcsRest.body();
        body.putObject("callLocator").put("kind", "serverCallLocator").put("serverCallId", command.serverCallId());
        body.put("recordingStateCallbackUri", callbackUri);
        if (command.recordingContentType() != null) {
            body.put("recordingContentType", command.recordingContentType());
        }
        if (command.recordingChannelType() != null) {
            body.put("recordingChannelType", command.recordingChannelType());
        }
        if (command.recordingFormatType() != null) {
            body.put("recordingFormatType", command.recordingFormatType());
        }
        if (command.channelAffinity() != null) {
            var affinity = body.putArray("channelAffinity");
            command.channelAffinity().forEach(a -> {
                ObjectNode node = affinity.addObject();
                if (a.channel() != null) {
                    node.put("channel", a.channel());
                }
                node.set("participant", identifierModel(a.participant()));
            });
        }
        if (command.pauseOnStart() != null) {
            body.put("pauseOnStart", command.pauseOnStart());
        }
        if (command.blobContainerUrl() != null) {
            body.putObject("externalStorage").put("recordingStorageKind", "azureBlobStorage")
                    .put("recordingDestinationContainerUrl", command.blobContainerUrl());
        }
        JsonNode response = rest.post("/calling/recordings", body);
        return new AcsRecording(response.path("recordingId").asText(null), response.path("recordingState").asText(null));
    }

    @Override
    public void pauseRecording(String recordingId) {
        rest.post("/calling/recordings/" + AcsRest.segment(recordingId) + ":pause", AcsRest.body());
    }

    @Override
    public void resumeRecording(String recordingId) {
        rest.post("/calling/recordings/" + AcsRest.segment(recordingId) + ":resume", AcsRest.body());
    }

    @Override
    public void stopRecording(String recordingId) {
        rest.delete("/calling/recordings/" + AcsRest.segment(recordingId));
    }

    @Override
    public void startMediaStreaming(StartMediaStreaming command) {
        rest.post(connection(command.callConnectionId()) + ":startMediaStreaming",
                operation(AcsRest.body(), command.commandId(), command.operationCallbackUri()));
    }

    @Override
    public void stopMediaStreaming(StopMediaStreaming command) {
        rest.post(connection(command.callConnectionId()) + ":stopMediaStreaming",
                operation(AcsRest.body(), command.commandId(), command.operationCallbackUri()));
    }

    @Override
    public void startTranscription(StartTranscription command) {
        rest.post(connection(command.callConnectionId()) + ":startTranscription",
                operation(transcription(command.locale(), command.speechModelEndpointId()), command.commandId(), command.operationCallbackUri()));
    }

    @Override
    public void updateTranscription(UpdateTranscription command) {
        rest.post(connection(command.callConnectionId()) + ":updateTranscription",
                operation(transcription(command.locale(), command.speechModelEndpointId()), command.commandId(), command.operationCallbackUri()));
    }

    @Override
    public void stopTranscription(StopTranscription command) {
        rest.post(connection(command.callConnectionId()) + ":stopTranscription",
                operation(AcsRest.body(), command.commandId(), command.operationCallbackUri()));
    }

    private static ObjectNode transcription(String locale, String speechModelEndpointId) {
        ObjectNode body = AcsRest.body();
        if (locale != null) {
            body.put("locale", locale);
        }
        if (speechModelEndpointId != null) {
            body.put("speechModelEndpointId", speechModelEndpointId);
        }
        return body;
    }

    /** Adds operationContext (the commandId) and, when given, operationCallbackUri. */
    private static ObjectNode operation(ObjectNode body, String commandId, String operationCallbackUri) {
        body.put("operationContext", commandId);
        if (operationCallbackUri != null) {
            body.put("operationCallbackUri", operationCallbackUri);
        }
        return body;
    }

    /** The spec's {@code PlaySource}: {@code {kind, file{uri} | text{text, voiceName, sourceLocale} | ssml{ssmlText}}}. */
    private static ObjectNode playSource(PlaySource source) {
        ObjectNode node = AcsRest.body().put("kind", source.kind());
        switch (source.kind()) {
            case "file" -> node.putObject("file").put("uri", source.url());
            case "text" -> {
                ObjectNode text = node.putObject("text").put("text", source.text());
                if (source.voiceName() != null) {
                    text.put("voiceName", source.voiceName());
                }
                if (source.sourceLocale() != null) {
                    text.put("sourceLocale", source.sourceLocale());
                }
            }
            default -> node.putObject("ssml").put("ssmlText", source.ssml());
        }
        return node;
    }

    /** The spec's {@code customCallingContext{voipHeaders, sipHeaders}}, when there is one. */
    private static void customCallingContext(ObjectNode body, CustomCallingContext context) {
        if (context == null) {
            return;
        }
        ObjectNode custom = body.putObject("customCallingContext");
        if (context.voipHeaders() != null) {
            context.voipHeaders().forEach(custom.putObject("voipHeaders")::put);
        }
        if (context.sipHeaders() != null) {
            context.sipHeaders().forEach(custom.putObject("sipHeaders")::put);
        }
    }

    private static String connection(String callConnectionId) {
        return "/calling/callConnections/" + AcsRest.segment(callConnectionId);
    }

    /** The spec's {@code CommunicationIdentifierModel} for a target. */
    private static ObjectNode identifierModel(CallTarget target) {
        ObjectNode node = AcsRest.body().put("rawId", target.rawId());
        if (target.isPhoneNumber()) {
            node.put("kind", "phoneNumber").putObject("phoneNumber").put("value", target.phoneNumber());
        } else {
            node.put("kind", "communicationUser").putObject("communicationUser").put("id", target.communicationUserId());
        }
        return node;
    }

    private static CommunicationIdentifier identifier(CallTarget target) {
        return target.isPhoneNumber() ? new PhoneNumberIdentifier(target.phoneNumber())
                : new CommunicationUserIdentifier(target.communicationUserId());
    }

    /**
     * azure-core's retry policy with {@code retry}'s exponential backoff: retries 408, 429, 500,
     * 502, 503 and 504 answers and unanswered requests (timeouts, refused connections), waiting
     * what a {@code Retry-After} header says when ACS sends one.
     */
    static RetryPolicy retryPolicy(CommandServiceProperties.Retry retry) {
        return new RetryPolicy(new RetryOptions(new ExponentialBackoffOptions()
                .setMaxRetries(retry.maxRetries()).setBaseDelay(retry.baseDelay()).setMaxDelay(retry.maxDelay())));
    }

    private static AcsCallConnection ids(CallConnectionProperties properties) {
        return new AcsCallConnection(properties.getCallConnectionId(), properties.getServerCallId(), properties.getCorrelationId());
    }

    private static <T> T call(java.util.function.Supplier<T> request) {
        try {
            return request.get();
        } catch (CommunicationErrorResponseException e) {
            int status = e.getResponse().getStatusCode();
            var error = e.getValue() == null ? null : e.getValue().getError();
            String code = error != null && error.getCode() != null ? error.getCode() : String.valueOf(status);
            String message = error != null && error.getMessage() != null ? error.getMessage() : e.getMessage();
            throw new AcsRequestException(status, code, message, e);
        } catch (HttpResponseException e) {
            int status = e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
            throw new AcsRequestException(status, String.valueOf(status), e.getMessage(), e);
        } catch (RuntimeException e) {
            // No HTTP answer: connection refused, TLS failure, timeout, or a response the SDK could not read.
            log.warn("ACS request failed without an HTTP answer: {}", e.toString());
            throw new AcsRequestException(0, "RequestFailed", "no answer from ACS: " + e, e);
        }
    }
}
