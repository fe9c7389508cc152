-- Call recordings: state from the commands and RecordingStateChanged (active, paused, inactive),
-- files from Event Grid's RecordingFileStatusUpdated.
create table recordings (
    recording_id           text primary key,
    server_call_id         text,
    call_connection_id     text,
    start_command_id       text,
    state                  text        not null,
    content_type           text,
    channel_type           text,
    format_type            text,
    started_at             timestamptz,
    stopped_at             timestamptz,
    duration_ms            bigint,
    session_end_reason     text,
    content_locations      text[],
    files_ready_at         timestamptz,
    updated_at             timestamptz not null default now()
);
create index recordings_server_call_id on recordings (server_call_id);
