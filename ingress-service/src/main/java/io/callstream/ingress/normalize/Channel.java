package io.callstream.ingress.normalize;

import io.callstream.events.Topics;

/** Where a delivery came from, and so which topic its events go to. */
public enum Channel {
    /** Azure Event Grid system events, to {@link Topics#ACS_EVENTGRID}. */
    EVENTGRID(Topics.ACS_EVENTGRID),
    /** Call Automation callbacks, to {@link Topics#ACS_CALLBACKS}. */
    CALLBACKS(Topics.ACS_CALLBACKS);

    private final String topic;

    Channel(String topic) {
        this.topic = topic;
    }

    public String topic() {
        return topic;
    }
}
