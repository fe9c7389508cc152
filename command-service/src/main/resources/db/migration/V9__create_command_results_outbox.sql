-- The transactional outbox of command results: a result is written here in the transaction that
-- records the state change it reports, and published to calls.command-results after that commits
-- (OutboxRelay). A row is deleted once Kafka acknowledged it.
create table command_results_outbox (
    id         bigserial   primary key,
    command_id text        not null,
    payload    bytea       not null,
    created_at timestamptz not null default now()
);
