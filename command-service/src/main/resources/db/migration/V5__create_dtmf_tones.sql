-- Each tone of continuous DTMF recognition, in order (ContinuousDtmfRecognitionToneReceived.sequenceId).
create table dtmf_tones (
    call_connection_id text        not null,
    sequence_id        int         not null,
    tone               text        not null,
    received_at        timestamptz not null,
    event_id           text        not null,
    primary key (call_connection_id, sequence_id)
);
