package io.callstream.command.acs;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import reactor.core.publisher.Mono;

import java.util.List;

/**
 * Puts a command's {@link Repeatability} headers on the requests that accept them (the operations
 * marked R in ENDPOINTS.md): those the SDK already gives its own random ones, and the REST
 * operations with the same contract. Runs on every attempt, so SDK retries carry them too. The
 * headers are not part of the HMAC signature.
 */
final class RepeatabilityPolicy implements HttpPipelinePolicy {

    static final HttpHeaderName REQUEST_ID = HttpHeaderName.fromString("Repeatability-Request-ID");
    static final HttpHeaderName FIRST_SENT = HttpHeaderName.fromString("Repeatability-First-Sent");

    private static final List<String> REPEATABLE = List.of(":answer", ":redirect", ":reject", ":connect", ":terminate",
            ":transferToParticipant", ":sendDtmfTones", "participants:add", "participants:remove", "participants:mute",
            "participants:cancelAddParticipant", "participants:moveHere");

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        context.getData(Repeatability.CONTEXT_KEY).ifPresent(value -> {
            var request = context.getHttpRequest();
            if (request.getHttpMethod() == HttpMethod.POST
                    && (request.getHeaders().get(REQUEST_ID) != null || repeatable(request.getUrl().getPath()))) {
                Repeatability repeatability = (Repeatability) value;
                request.setHeader(REQUEST_ID, repeatability.requestId());
                request.setHeader(FIRST_SENT, repeatability.firstSent());
            }
        });
        return next.process();
    }

    private static boolean repeatable(String path) {
        return path.endsWith("/calling/callConnections") || path.endsWith("/calling/recordings")
                || REPEATABLE.stream().anyMatch(path::endsWith);
    }
}
