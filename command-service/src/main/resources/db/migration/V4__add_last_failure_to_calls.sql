-- The latest mid-call failure on a leg (AddParticipantFailed, RemoveParticipantFailed,
-- CancelAddParticipantFailed, MoveParticipantFailed, CallTransferFailed): the call goes on, but
-- its history says what failed. Failures that end a leg are in end_reason.
alter table calls add column last_failure text;
alter table calls add column last_failure_at timestamptz;
