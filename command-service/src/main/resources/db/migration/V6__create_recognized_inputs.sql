-- What callers entered or said: one row per RecognizeCompleted.
create table recognized_inputs (
    source             text        not null,
    event_id           text        not null,
    call_connection_id text,
    operation_context  text,
    recognition_type   text,
    tones              text[],
    label              text,
    speech             text,
    confidence         numeric(5, 4),
    recognized_at      timestamptz not null,
    primary key (source, event_id)
);
create index recognized_inputs_call_connection_id on recognized_inputs (call_connection_id);
