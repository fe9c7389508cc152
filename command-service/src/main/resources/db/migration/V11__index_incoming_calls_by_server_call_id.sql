-- An answered leg takes its caller and callee from the ringing call's IncomingCall, found by
-- serverCallId (CallRepository's INCOMING_FROM and INCOMING_TO). The server_call_id index alone
-- lost to V10's partial index in PostgreSQL's generic plan once call_events held a million rows:
-- that plan read every IncomingCall ever stored, so each answer cost more as history grew.
create index call_events_incoming_call_server_call_id on call_events (server_call_id)
    where event_type = 'Microsoft.Communication.IncomingCall';
