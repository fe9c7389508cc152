-- RejectCall and RedirectCall look up who is calling by the ringing call's incomingCallContext
-- (CommandRepository.callerOf). Without an index that is a scan of every stored event.
create index call_events_incoming_call_context on call_events ((payload ->> 'incomingCallContext'))
    where event_type = 'Microsoft.Communication.IncomingCall';
