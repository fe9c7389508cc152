-- Call history as users query it.

-- One row per call leg: who, when, how long, and how it ended.
create view call_history as
select c.call_connection_id,
       c.server_call_id,
       c.correlation_id,
       c.direction,
       c.from_raw_id,
       c.to_raw_ids,
       c.created_at,
       c.connected_at,
       c.ended_at,
       extract(epoch from (c.ended_at - c.connected_at))::numeric(12, 3) as duration_seconds,
       case
           when c.state <> 'disconnected' then c.state
           when c.connected_at is null then 'failed'
           when c.end_reason like 'Call%Transfer%' or c.end_sub_code = 7015 then 'transferred'
           else 'completed'
       end as outcome,
       c.state,
       c.end_code,
       c.end_sub_code,
       c.end_reason,
       (select count(distinct p.raw_id) from participants p where p.call_connection_id = c.call_connection_id) as participant_count
from calls c;

-- Every participant's presence on a leg, in order: joined, left, how long, last mute and hold flags.
create view participant_timeline as
select p.call_connection_id,
       c.server_call_id,
       p.raw_id,
       p.kind,
       p.joined_at,
       p.left_at,
       extract(epoch from (coalesce(p.left_at, c.ended_at, now()) - p.joined_at))::numeric(12, 3) as seconds_present,
       p.is_muted,
       p.is_on_hold
from participants p
join calls c on c.call_connection_id = p.call_connection_id;
