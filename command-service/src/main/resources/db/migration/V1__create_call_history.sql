-- callstream's projections of the ACS event log (Kafka is the record of truth).

-- Every distinct ACS event, once. An event's identity is its source, id and type together:
-- real recordings reuse ids such as REDACTED and Sanitized across different events.
create table call_events (
    source             text        not null,
    event_id           text        not null,
    event_type         text        not null,
    subject            text,
    event_time         timestamptz,
    call_connection_id text,
    server_call_id     text,
    correlation_id     text,
    operation_context  text,
    kafka_topic        text        not null,
    kafka_partition    int         not null,
    kafka_offset       bigint      not null,
    payload            jsonb       not null,
    received_at        timestamptz not null default now(),
    primary key (source, event_id, event_type)
);
create index call_events_call_connection_id on call_events (call_connection_id);
create index call_events_server_call_id on call_events (server_call_id);
create index call_events_correlation_id on call_events (correlation_id);
create index call_events_event_time on call_events (event_time);

-- One row per call connection (the application's leg of a call).
create table calls (
    call_connection_id    text primary key,
    server_call_id        text,
    correlation_id        text,
    direction             text check (direction in ('inbound', 'outbound')),
    state                 text        not null,
    from_raw_id           text,
    to_raw_ids            text[],
    created_at            timestamptz not null default now(),
    connected_at          timestamptz,
    ended_at              timestamptz,
    end_code              int,
    end_sub_code          int,
    end_reason            text,
    participants_sequence int,
    updated_at            timestamptz not null default now()
);
create index calls_server_call_id on calls (server_call_id);

-- Participants per call connection, from ParticipantsUpdated snapshots.
create table participants (
    call_connection_id text        not null references calls (call_connection_id),
    raw_id             text        not null,
    kind               text,
    joined_at          timestamptz not null,
    left_at            timestamptz,
    is_muted           boolean     not null default false,
    is_on_hold         boolean     not null default false,
    updated_at         timestamptz not null default now(),
    primary key (call_connection_id, raw_id)
);

-- Every command received on calls.commands, with its lifecycle.
create table commands (
    command_id         text primary key,
    command_type       text,
    status             text        not null check (status in ('received', 'accepted', 'rejected', 'completed', 'failed')),
    call_connection_id text,
    server_call_id     text,
    correlation_id     text,
    operation_context  text,
    reason             text,
    error_code         text,
    sub_code           int,
    payload            jsonb,
    received_at        timestamptz not null default now(),
    accepted_at        timestamptz,
    ended_at           timestamptz,
    updated_at         timestamptz not null default now()
);
create index commands_call_connection_id on commands (call_connection_id);
