-- AddParticipant's invitationId, so that CancelAddParticipant can name the add by its commandId,
-- and CancelAddParticipantSucceeded can end the add it cancelled.
alter table commands add column invitation_id text;
create index commands_invitation_id on commands (invitation_id);
